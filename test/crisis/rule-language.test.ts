import { describe, expect, it } from 'vitest';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { crisisRuleOptions } from '../../functions/crisis/rule-options.js';
import { buildRuleSet, compileSources, parseFoghornConfig } from '../../functions/rules/index.js';
import { memoryRuleState } from '../../functions/rules/memory-rule-state.js';
import { makeEvent } from '../support/events.js';

const extensions = { extensions: ruleLanguage };
const config = parseFoghornConfig({ targets: { oncall: { type: 'pagerduty', routingKey: 'FOGHORN_PD_KEY' } } }, undefined, extensions);
const rules = `
- id: outage-spike
  when: { all: [{ fact: text, operator: containsAny, value: ["down", "outage"] }] }
  volume: { atLeast: 30, within: 10m, quiet: 15m }
  then:
    - escalate: { target: oncall, severity: critical, summary: "Outage reports" }
    - crisis: on
- id: vip-unanswered
  when: { all: [{ fact: author.verified, operator: equal, value: true }] }
  after: 10m
  then: [{ escalate: { target: oncall, summary: "VIP waiting" } }]
- id: status-page
  crisisReply: true
  when: { all: [{ fact: crisisMode, operator: equal, value: true }, { fact: text, operator: containsAny, value: ["status"] }] }
  then: [{ reply: { text: "See status.example.com" } }]
`;

describe('the crisis keys in the rule language', () => {
  it('validates volume, after, crisisReply and the crisis action, and reads them back as options', () => {
    const compiled = compileSources([{ file: 'crisis.yaml', text: rules }], config, extensions);
    expect(compiled.problems).toEqual([]);
    const options = crisisRuleOptions(compiled.rules);
    expect(options.get('outage-spike')).toEqual({ volume: { atLeast: 30, windowMs: 600_000, quietMs: 900_000 } });
    expect(options.get('vip-unanswered')).toEqual({ after: { text: '10m', ms: 600_000 } });
    expect(options.get('status-page')).toEqual({ crisisReply: true });
  });

  it('renders `crisis: on` as an action and exposes crisisMode as a fact', async () => {
    const ruleSet = buildRuleSet([{ file: 'crisis.yaml', text: rules }], config, extensions);
    const down = await ruleSet.evaluate(makeEvent({ text: 'site is down' }), { now: new Date(), state: memoryRuleState() });
    expect(down.actions.map((action) => [action.type, action.params.state])).toEqual([
      ['escalate', undefined],
      ['crisis', 'on'],
    ]);
    const status = makeEvent({ text: 'any status update?' });
    expect((await ruleSet.evaluate(status, { now: new Date(), state: memoryRuleState() })).rules).toEqual([]);
    expect((await ruleSet.evaluate(status, { now: new Date(), state: memoryRuleState(), crisisMode: true })).rules).toEqual([
      'status-page',
    ]);
  });

  it('reports a malformed volume or after with the file and path', () => {
    const compiled = compileSources(
      [
        {
          file: 'bad.yaml',
          text: 'id: bad\nwhen: { all: [{ fact: text, operator: equal, value: x }] }\nafter: soon\nvolume: { within: 10m }\nthen: [{ crisis: maybe }]\n',
        },
      ],
      config,
      extensions,
    );
    expect(compiled.problems.map((problem) => problem.path).sort()).toEqual(['after', 'then[0].crisis', 'volume']);
  });

  it("are the crisis extension's: without it they are unknown keys, and the config sections go unchecked", () => {
    const base = { extensions: [] };
    const compiled = compileSources(
      [{ file: 'crisis.yaml', text: rules }],
      parseFoghornConfig({ targets: { oncall: {} } }, undefined, base),
      base,
    );
    expect(compiled.problems.map((problem) => `${problem.ruleId} ${problem.path}: ${problem.message}`)).toEqual([
      "outage-spike volume: unknown key 'volume'",
      "vip-unanswered after: unknown key 'after'",
      "status-page crisisReply: unknown key 'crisisReply'",
    ]);
    expect(() => parseFoghornConfig({ crisis: { approvals: { expireAfter: 'tomorrow' } } }, undefined, base)).not.toThrow();
  });

  it('a malformed target or crisis section fails config validation (so validate and deploy stop), naming the field', () => {
    expect(() =>
      parseFoghornConfig({ targets: { oncall: { type: 'pagerduty', routingKey: 'plain-secret-value' } } }, undefined, extensions),
    ).toThrow(/targets\.oncall\.routingKey: the name of a FOGHORN_\* setting/);
    expect(() => parseFoghornConfig({ crisis: { approvals: { expireAfter: 'tomorrow' } } }, undefined, extensions)).toThrow(
      /crisis\.approvals\.expireAfter/,
    );
    expect(() =>
      parseFoghornConfig(
        { targets: { oncall: { description: 'on-call' } }, crisis: { sensitiveTerms: ['lawsuit'] } },
        undefined,
        extensions,
      ),
    ).not.toThrow();
  });
});

describe('rule tests of volume rules', () => {
  it('a volume rule fires in its tests only when the sequence reaches the threshold', async () => {
    const { runRuleTests } = await import('../../functions/rules/index.js');
    const text = `
id: outage-spike
when: { all: [{ fact: text, operator: containsAny, value: ["outage"] }] }
volume: { atLeast: 3, within: 10m }
then: [{ escalate: { target: oncall, summary: "Outage" } }]
tests:
  - name: two reports are not a spike
    events: [{ text: "outage" }, { text: "outage" }]
    expect: { fires: false }
  - name: the third report pages
    events: [{ text: "outage" }, { text: "outage" }, { text: "outage!" }]
    expect: { fires: true, actions: [{ type: escalate, target: oncall }] }
`;
    const results = await runRuleTests(compileSources([{ file: 'spike.yaml', text }], config, extensions), extensions);
    expect(results.map((result) => [result.name, result.passed, result.failures])).toEqual([
      ['two reports are not a spike', true, []],
      ['the third report pages', true, []],
    ]);
  });
});

describe('the circuit breaker and volume rules', () => {
  const flood = async (ruleText: string) => {
    const { withCrisis } = await import('../../functions/crisis/crisis-rule-set.js');
    const memory = await import('../../functions/crisis/memory/index.js');
    const breakerConfig = parseFoghornConfig(
      {
        targets: { oncall: { type: 'pagerduty', routingKey: 'FOGHORN_PD_KEY' } },
        limits: { breaker: { perMinute: 5, target: 'oncall' } },
      },
      undefined,
      extensions,
    );
    const compiled = compileSources([{ file: 'flood.yaml', text: ruleText }], breakerConfig, extensions);
    expect(compiled.problems).toEqual([]);
    const options = crisisRuleOptions(compiled.rules);
    const ruleSet = withCrisis(buildRuleSet([{ file: 'flood.yaml', text: ruleText }], breakerConfig, extensions), () => options, {
      counters: memory.memoryCounterStore(),
      episodes: memory.memoryEpisodeStore(),
      timers: memory.memoryTimerStore(),
      crisis: memory.memoryCrisisStore(),
      audit: memory.memoryAuditLog(),
    });
    const state = memoryRuleState();
    const now = new Date('2026-11-22T10:00:30Z');
    const actions = [];
    for (let i = 0; i < 40; i++)
      actions.push(
        ...(await ruleSet.evaluate(makeEvent({ id: `test:${i}`, text: 'outage again', author: { id: `a${i}` } }), { now, state })).actions,
      );
    return actions;
  };

  it('does not trip on the matching events of a volume rule: the spike pages once, no breaker escalation', async () => {
    const actions = await flood(`
id: outage-spike
when: { all: [{ fact: text, operator: containsAny, value: ["outage"] }] }
volume: { atLeast: 30, within: 10m }
then: [{ escalate: { target: oncall, summary: "Outage" } }]
`);
    expect(actions.map((action) => [action.type, action.params.breaker === true, action.params.count])).toEqual([['escalate', false, 30]]);
  });

  it('still trips on a rule whose every match acts', async () => {
    const actions = await flood(`
id: outage-ack
when: { all: [{ fact: text, operator: containsAny, value: ["outage"] }] }
then: [{ tag: outage }]
`);
    expect(actions.filter((action) => action.type === 'tag')).toHaveLength(5);
    expect(actions.filter((action) => action.params.breaker === true)).toHaveLength(1);
  });
});

describe('one compilation of a rules folder (the evaluate cold start)', () => {
  it('gives the rule set and its crisis options; a bad rule is a problem with file and path', async () => {
    const { mkdirSync, mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { compileRuleDirectory, createRuleSet, formatProblem } = await import('../../functions/rules/index.js');
    const workspace = mkdtempSync(join(tmpdir(), 'foghorn-crisis-rules-'));
    const dir = join(workspace, 'rules');
    mkdirSync(dir);
    writeFileSync(join(workspace, 'foghorn.config.yaml'), 'targets: { oncall: {} }\n');
    writeFileSync(
      join(dir, 'spike.yaml'),
      'id: spike\nwhen: { all: [{ fact: text, operator: containsAny, value: [down] }] }\nvolume: { atLeast: 3, within: 5m }\nthen: [{ escalate: { target: oncall, summary: down } }]\n',
    );
    const compiled = await compileRuleDirectory(dir, extensions);
    expect(compiled.problems).toEqual([]);
    expect(createRuleSet(compiled.rules, compiled.config, compiled.text).ruleIds).toEqual(['spike']);
    expect(crisisRuleOptions(compiled.rules).get('spike')).toEqual({ volume: { atLeast: 3, windowMs: 300_000, quietMs: 300_000 } });
    writeFileSync(
      join(dir, 'bad.yaml'),
      'id: bad\nwhen: { all: [{ fact: text, operator: containsAny, value: [x] }] }\nafter: soon\nthen: [{ tag: x }]\n',
    );
    const broken = await compileRuleDirectory(dir, extensions);
    expect(broken.problems.map(formatProblem).join('\n')).toMatch(/bad\.yaml.*after/s);
  });
});

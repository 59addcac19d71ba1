import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../functions/entries/local/runtime.js';
import { compileSources, parseFoghornConfig, ruleFileJsonSchema } from '../../functions/rules/index.js';
import { startLoopback } from '../support/loopback.js';
import { getJson, makeWorkspace, postGeneric, TEST_GENERIC_SECRET, waitForQueuesToDrain } from '../support/runtime-process.js';

/** `onQuiet:` through the local runtime (injected clock): run once when a spike episode goes quiet, once per episode. */
const RULES = `
id: outage-spike
when: { all: [{ fact: text, operator: containsAny, value: ["outage"] }] }
volume: { atLeast: 5, within: 5m, quiet: 10m }
then:
  - escalate: { target: oncall, severity: critical, summary: "Outage reports" }
  - crisis: on
onQuiet:
  - escalate: { target: team, summary: "Quiet again: the spike opened by {{author.name}} is over" }
  - crisis: off
`;

interface Action {
  id: string;
  ruleId: string;
  type: string;
  status: string;
  params?: Record<string, unknown>;
}

const T0 = Date.parse('2026-11-22T12:00:00.000Z');
const MINUTE = 60_000;

describe('onQuiet actions of a volume rule through the local runtime', () => {
  let runtime: Runtime;
  let now = T0;
  const pagerduty = startLoopback(() => ({ status: 202, body: '{"status":"success"}' }));
  const slack = startLoopback(() => ({ status: 200, body: 'ok' }));
  let seq = 0;
  const post = async (text: string) => {
    const id = `q${seq++}`;
    const response = await postGeneric(runtime.url, {
      id,
      kind: 'message',
      text,
      author: { id: `a-${id}`, name: `Ada ${id}` },
      channel: { id: 'c1' },
      createdAt: new Date(now).toISOString(),
    });
    expect(response.status).toBe(200);
  };
  const actions = async () => (await getJson<{ actions: Action[] }>(`${runtime.url}/api/actions?limit=10000`)).actions;
  const idle = () => waitForQueuesToDrain(runtime.url);
  const crisisOn = async () => (await getJson<{ crisis: { on: boolean; by?: string } }>(`${runtime.url}/api/crisis`)).crisis;

  beforeAll(async () => {
    const { dataDir, rulesDir } = makeWorkspace({ 'spike.yaml': RULES });
    writeFileSync(
      join(dirname(rulesDir), 'foghorn.config.yaml'),
      [
        'targets:',
        `  oncall: { type: pagerduty, routingKey: FOGHORN_PD_KEY, url: "${(await pagerduty).url}/v2/enqueue" }`,
        '  team: { type: slack-webhook, url: FOGHORN_SLACK_TEAM_WEBHOOK }',
      ].join('\n'),
    );
    runtime = await startRuntime({
      port: 0,
      dataDir,
      rulesDir,
      logger: { info() {}, warn() {}, error() {} },
      settings: settingsFrom({
        FOGHORN_GENERIC_SECRET: TEST_GENERIC_SECRET,
        FOGHORN_PD_KEY: 'R0UTINGKEY0123456789',
        FOGHORN_SLACK_TEAM_WEBHOOK: `${(await slack).url}/services/T0/B0/SECRETPATH0123`,
      }),
      clock: { now: () => new Date(now) },
      crisisSweepEveryMs: 3_600_000,
    });
  }, 60_000);
  afterAll(async () => {
    await runtime?.stop();
    await (await pagerduty).close();
    await (await slack).close();
  });

  it('runs once when the episode goes quiet, alongside the resolve, and once more for the next episode', async () => {
    for (let i = 0; i < 8; i++) await post(`outage ${i}`);
    await idle();
    expect((await pagerduty).received).toHaveLength(1);
    expect(await crisisOn()).toMatchObject({ on: true });
    expect((await slack).received).toHaveLength(0);

    now += 9 * MINUTE;
    await runtime.crisis.sweep();
    await idle();
    expect((await slack).received).toHaveLength(0);
    now += 1 * MINUTE;
    await Promise.all([runtime.crisis.sweep(), runtime.crisis.sweep()]);
    await runtime.crisis.sweep();
    await idle();
    expect((await pagerduty).received.map((request) => JSON.parse(request.body).event_action)).toEqual(['trigger', 'resolve']);
    const quiet = (await slack).received.map((request) => JSON.parse(request.body).text as string);
    expect(quiet).toHaveLength(1);
    expect(quiet[0]).toContain('Quiet again: the spike opened by Ada q4 is over');
    expect(await crisisOn()).toMatchObject({ on: false });
    const ran = (await actions()).filter((action) => action.ruleId === 'outage-spike' && action.status === 'succeeded');
    expect(ran.map((action) => action.type).sort()).toEqual(['crisis', 'crisis', 'escalate', 'escalate', 'escalate']);

    // A second outage is a new episode with its own quiet actions.
    now += 60 * MINUTE;
    for (let i = 0; i < 5; i++) await post(`outage again ${i}`);
    await idle();
    now += 10 * MINUTE;
    await runtime.crisis.sweep();
    await runtime.crisis.sweep();
    await idle();
    expect((await pagerduty).received.map((request) => JSON.parse(request.body).event_action)).toEqual([
      'trigger',
      'resolve',
      'trigger',
      'resolve',
    ]);
    expect((await slack).received).toHaveLength(2);
    expect(JSON.parse((await slack).received[1]!.body).text).toContain('the spike opened by Ada q12');
    const { audit } = await getJson<{ audit: Array<{ what: string; detail?: { onQuiet?: string[] } }> }>(
      `${runtime.url}/api/audit?limit=1000`,
    );
    const ended = audit.filter((entry) => entry.what === 'spike.ended');
    expect(ended).toHaveLength(2);
    expect(ended.every((entry) => entry.detail?.onQuiet?.length === 2)).toBe(true);
  });
});

describe('onQuiet in the rule language', () => {
  const config = parseFoghornConfig({ targets: { team: {} } }, undefined, { extensions: ruleLanguage });
  it('needs volume, and its actions are checked like then: (targets named)', () => {
    const compiled = compileSources(
      [
        {
          file: 'q.yaml',
          text: `
- id: no-volume
  when: { all: [{ fact: text, operator: containsAny, value: ["x"] }] }
  then: [{ tag: x }]
  onQuiet: [{ tag: quiet }]
- id: bad-target
  when: { all: [{ fact: text, operator: containsAny, value: ["x"] }] }
  volume: { atLeast: 3, within: 5m }
  then: [{ tag: x }]
  onQuiet: [{ tag: fine }, { escalate: { target: nobody, summary: quiet } }]
- id: bad-shape
  when: { all: [{ fact: text, operator: containsAny, value: ["x"] }] }
  volume: { atLeast: 3, within: 5m }
  then: [{ tag: x }]
  onQuiet: [{ crisis: maybe }]
`,
        },
      ],
      config,
      { extensions: ruleLanguage },
    );
    expect(compiled.problems.map((problem) => [problem.ruleId, problem.path, problem.message])).toEqual([
      ['no-volume', 'onQuiet', 'onQuiet runs when a spike episode goes quiet: it needs volume'],
      ['bad-target', 'onQuiet[1].escalate.target', "unknown target 'nobody' (declared targets: team)"],
      ['bad-shape', 'onQuiet[0].crisis', expect.any(String)],
    ]);
    expect(JSON.stringify(ruleFileJsonSchema({ extensions: ruleLanguage }))).toContain('"onQuiet"');
  });
});

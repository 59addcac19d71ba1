import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  compileSources,
  parseFoghornConfig,
  RuleConfigError,
  type RuleLanguageExtension,
  type RuleSet,
  runRuleTests,
} from '../../functions/rules/index.js';

/** A made-up extension: a `mood` key, a `moods:` config section, and an offline wrapper that tags every decision. */
const seen: string[] = [];
const moods: RuleLanguageExtension = {
  name: 'moods',
  ruleKeys: { mood: z.enum(['calm', 'loud']).optional() },
  configSections: {
    moods: (value, source) => {
      if (value !== undefined && !Array.isArray(value)) throw new Error(`${source}: moods must be a list`);
    },
  },
  offline(base: RuleSet): { ruleSet: RuleSet } {
    const state = { calls: 0 };
    seen.push('fresh');
    return {
      ruleSet: {
        ruleIds: base.ruleIds,
        async evaluate(event, context) {
          state.calls++;
          const decision = await base.evaluate(event, context);
          return {
            ...decision,
            actions: [
              ...decision.actions,
              { type: 'tag', ruleId: decision.rules[0] ?? 'none', index: 99, params: { tags: [`call-${state.calls}`] } },
            ],
          };
        },
      },
    };
  },
};
const options = { extensions: [moods] };

const rule = `
id: greet
mood: calm
when: { all: [{ fact: text, operator: containsAny, value: [hello] }] }
then: [{ tag: greeting }]
tests:
  - name: the offline wrapper runs, with fresh state per test
    events: [{ text: hello }, { text: hello }]
    expect: { fires: true, actions: [{ type: tag, tags: [greeting] }, { type: tag, tags: [call-2] }] }
  - name: again from the start
    event: { text: hello }
    expect: { fires: true, actions: [{ type: tag }, { type: tag, tags: [call-1] }] }
`;

describe('a rule language extension', () => {
  it('adds rule keys that are unknown without it', () => {
    const config = parseFoghornConfig({}, undefined, options);
    expect(compileSources([{ file: 'greet.yaml', text: rule }], config, options).problems).toEqual([]);
    expect(
      compileSources([{ file: 'greet.yaml', text: rule }], config, { extensions: [] }).problems.map((problem) => problem.message),
    ).toEqual(["unknown key 'mood'"]);
    expect(
      compileSources([{ file: 'greet.yaml', text: rule.replace('calm', 'grumpy') }], config, options).problems.map(
        (problem) => problem.path,
      ),
    ).toEqual(['mood']);
  });

  it('checks its config sections, the error a RuleConfigError', () => {
    expect(() => parseFoghornConfig({ moods: 'calm' }, 'team.yaml', options)).toThrow(RuleConfigError);
    expect(() => parseFoghornConfig({ moods: 'calm' }, 'team.yaml', options)).toThrow('team.yaml: moods must be a list');
    expect(() => parseFoghornConfig({ moods: ['calm'] }, 'team.yaml', options)).not.toThrow();
  });

  it('wraps the rule set in rule tests, fresh for every test', async () => {
    seen.length = 0;
    const compiled = compileSources([{ file: 'greet.yaml', text: rule }], parseFoghornConfig({}, undefined, options), options);
    const results = await runRuleTests(compiled, options);
    expect(results.map((result) => [result.name, result.failures])).toEqual([
      ['the offline wrapper runs, with fresh state per test', []],
      ['again from the start', []],
    ]);
    expect(seen).toEqual(['fresh', 'fresh']);
  });

  it('may not redefine a key of the base language or of another extension', () => {
    const config = parseFoghornConfig({}, undefined, { extensions: [] });
    const clash: RuleLanguageExtension = { name: 'clash', ruleKeys: { priority: z.number().optional() } };
    expect(() => compileSources([{ file: 'greet.yaml', text: rule }], config, { extensions: [clash] })).toThrow(
      "rule language extension 'clash': the rule key 'priority' is already defined",
    );
    expect(() =>
      compileSources([{ file: 'greet.yaml', text: rule }], config, { extensions: [moods, { ...moods, name: 'again' }] }),
    ).toThrow("rule language extension 'again': the rule key 'mood' is already defined");
  });
});

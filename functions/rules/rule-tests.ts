import { isDeepStrictEqual } from 'node:util';
import { canonicalEventSchema } from '../core/event.js';
import type { Decision, PlannedAction } from '../core/rule-set.js';
import { withTestDefaults } from './compile.js';
import { createRuleSet } from './create-rule-set.js';
import type { RuleLanguageOptions } from './extension.js';
import type { CompiledRules } from './loader.js';
import { memoryRuleState } from './memory-rule-state.js';
import { offlineRuleSet } from './offline-rule-set.js';

/** The default evaluation time of a rule test: a Monday morning, 10:00 UTC. */
export const DEFAULT_TEST_NOW = '2026-01-05T10:00:00Z';

export interface RuleTestResult {
  ruleId: string;
  file: string;
  name: string;
  passed: boolean;
  /** Why it failed, in words; empty when it passed. */
  failures: string[];
  /** On a failure: the last event's language and what decided it, `fa (from: text | platform | author | channel)`. */
  lang?: string;
}

/** An action as people read it (and as `foghorn evaluate` prints it): type, rule, then its fields. */
export function flattenAction(action: PlannedAction): Record<string, unknown> {
  return { type: action.type, rule: action.ruleId, ...action.params };
}

export interface RuleTestOptions extends RuleLanguageOptions {
  /** Runs the tests of the rules it accepts only (every rule still evaluates). */
  only?: (ruleId: string) => boolean;
}

/**
 * Runs every rule's `tests:` against the whole rule set (so a higher-priority rule that stops a
 * lower one shows up in the lower one's tests), each test with fresh in-memory state, the
 * extensions' keys behaving as they do live.
 */
export async function runRuleTests(compiled: CompiledRules, options: RuleTestOptions): Promise<RuleTestResult[]> {
  const { only } = options;
  const baseRuleSet = createRuleSet(compiled.rules, compiled.config, compiled.text);
  const results: RuleTestResult[] = [];
  for (const rule of compiled.rules) {
    if (only && !only(rule.id)) continue;
    for (const [testIndex, test] of rule.tests.entries()) {
      const failures: string[] = [];
      if (!rule.enabled) {
        failures.push('the rule is disabled (enabled: false), so its tests cannot pass; remove the tests or enable the rule');
        results.push({ ruleId: rule.id, file: rule.file, name: test.name, passed: false, failures });
        continue;
      }
      const now = new Date(test.now ?? DEFAULT_TEST_NOW);
      const state = memoryRuleState();
      const { ruleSet } = offlineRuleSet(baseRuleSet, compiled.rules, options.extensions);
      const rawEvents = test.events ?? [test.event!];
      let last: Decision | undefined;
      for (const [eventIndex, raw] of rawEvents.entries()) {
        const event = canonicalEventSchema.parse(withTestDefaults(raw, `${rule.id}-${testIndex}-${eventIndex}`, now));
        last = await ruleSet.evaluate(event, { now, state, explain: true });
      }
      const outcome = last!.explanation!.find((entry) => entry.rule === rule.id);
      const fired = outcome?.outcome === 'fired';
      if (fired !== test.expect.fires) {
        const why = outcome?.reason ? ` (${outcome.outcome}: ${outcome.reason})` : outcome ? ` (${outcome.outcome})` : '';
        failures.push(`expected the rule ${test.expect.fires ? 'to fire' : 'not to fire'}, but it ${fired ? 'fired' : 'did not'}${why}`);
      }
      if (test.expect.actions !== undefined) {
        const actual = last!.actions.filter((action) => action.ruleId === rule.id).map(flattenAction);
        if (actual.length !== test.expect.actions.length) {
          failures.push(`expected ${test.expect.actions.length} action(s), got ${actual.length}: ${JSON.stringify(actual)}`);
        }
        test.expect.actions.forEach((expected, index) => {
          const got = actual[index];
          if (!got) return;
          for (const [key, value] of Object.entries(expected)) {
            if (!isDeepStrictEqual(got[key], value)) {
              failures.push(`action ${index + 1}: expected ${key} ${JSON.stringify(value)}, got ${JSON.stringify(got[key])}`);
            }
          }
        });
      }
      const passed = failures.length === 0;
      // A failing test says what language the post was read as, and what decided it.
      const lang = !passed && last!.language !== undefined ? { lang: last!.language } : {};
      results.push({ ruleId: rule.id, file: rule.file, name: test.name, passed, failures, ...lang });
    }
  }
  return results;
}

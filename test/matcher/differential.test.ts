import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileBenchRules, factsOf, jreFor, matcherFor } from '../../bench/engines.js';
import { benchWorkloads, type WorkloadName } from '../../bench/workload.js';
import { type MatcherRule, RuleMatcher } from '../../functions/matcher/rule-matcher.js';
import { TextConditions } from '../../functions/rules/operators.js';
import { textOperatorPlugin } from '../../functions/rules/text-operator-plugin.js';
import { createEngine, facts, languageOf, registerText, ruleSet, type Setup } from './generators.js';

/**
 * json-rules-engine is the reference: for generated rule sets and events, the compiled matcher must
 * fire exactly the rules the engine fires. Where the engine rejects (an undefined fact in strict mode,
 * `in` against a non-list), the matcher may answer or reject: it evaluates a subset of what the engine
 * evaluates, so it can only fail less.
 */

async function reference(rules: readonly MatcherRule[], setup: Setup, eventFacts: Record<string, unknown>): Promise<string[] | 'rejected'> {
  const engine = createEngine(setup);
  for (const rule of rules) {
    engine.addRule({
      name: rule.id,
      priority: rule.priority,
      conditions: structuredClone(rule.conditions) as never,
      event: { type: rule.id },
    });
  }
  try {
    const { results } = await engine.run(eventFacts);
    return results.map((result) => result.name);
  } catch {
    return 'rejected';
  }
}

const CASES = 10_000;

describe('compiled matcher against json-rules-engine', () => {
  it(`fires exactly the rules json-rules-engine fires (${CASES} generated rule sets, 3 events each)`, async () => {
    let compared = 0;
    let fired = 0;
    let fallbackRules = 0;
    let totalRules = 0;
    /** Rules with a text condition whose casing follows the post's language (casing-by-language.ts). */
    let casingRules = 0;
    await fc.assert(
      fc.asyncProperty(
        ruleSet,
        fc.array(facts, { minLength: 3, maxLength: 3 }),
        fc.constantFrom(false, false, false, true),
        fc.boolean(),
        async (rules, events, strict, fold) => {
          const text = new TextConditions();
          const setup: Setup = { allowUndefinedFacts: !strict, text };
          const registered = rules.map((rule) => ({
            ...rule,
            conditions: registerText(rule.conditions, text) as MatcherRule['conditions'],
          }));
          const matcher = RuleMatcher.compile(registered, {
            createEngine: () => createEngine(setup),
            plugins: [textOperatorPlugin(text, { fold })],
            computedFacts: { computed: () => 'later' },
            asyncFacts: {
              detected: async (eventFacts) => (eventFacts.kind === 'dm' ? 'fa' : 'x'),
              lang: async (eventFacts) => languageOf(eventFacts),
            },
          });
          for (const eventFacts of events) {
            const expected = await reference(registered, setup, eventFacts);
            if (expected === 'rejected') continue;
            const actual = (await matcher.match(eventFacts)).ruleIds;
            expect(new Set(actual)).toEqual(new Set(expected));
            expect(actual).toHaveLength(expected.length);
            // Highest priority first, input order among equals.
            expect(actual).toEqual(matcher.ruleIds.filter((id) => actual.includes(id)));
            compared++;
            fired += actual.length;
          }
          fallbackRules += matcher.fallbackRules.length;
          totalRules += rules.length;
          casingRules += registered.filter((rule) => JSON.stringify(rule.conditions).includes('"fact":"lang"')).length;
        },
      ),
      { numRuns: CASES },
    );
    // Most cases must be comparable, or the property says little.
    expect(compared).toBeGreaterThan(CASES * 2);
    // Firing and not firing both occur often; some rule sets exercise the per-rule fallback.
    expect(fired).toBeGreaterThan(compared / 4);
    expect(fired).toBeLessThan(compared * 2);
    expect(fallbackRules).toBeGreaterThan(totalRules / 50);
    expect(fallbackRules).toBeLessThan(totalRules / 4);
    expect(casingRules).toBeGreaterThan(totalRules / 20);
  }, 300_000); // a limit for a loaded machine, not a speed check: alone it takes well under a minute
});

/**
 * The bench's own workloads, from its generator (seeded, smaller): the rules module compiles the rules
 * and both engines run its text operators, as `npm run bench` does. The dense workload is the one where
 * many rules are candidates for every post and several fire.
 */
describe("compiled matcher against json-rules-engine on the bench's workloads", () => {
  const SIZES = [10, 300];
  const EVENTS = 150;
  /** Fired rules per event at 300 rules, well below what each workload gives, so a matcher that fires nothing fails. */
  const LEAST_FIRED: Record<WorkloadName, number> = { current: 0.01, dense: 0.1, mixed: 0.02 };

  for (const workload of benchWorkloads({ events: EVENTS, seed: 1_201 })) {
    it(`fires exactly what json-rules-engine fires on the ${workload.name} workload (${SIZES.join(' and ')} rules, ${EVENTS} events)`, async () => {
      for (const size of SIZES) {
        const { rules, events } = workload.at(size);
        const bench = compileBenchRules(rules);
        const matcher = matcherFor(bench);
        const engine = jreFor(bench);
        expect(matcher.fullyCompiled).toBe(true);
        let fired = 0;
        let severalFired = 0;
        for (const event of events) {
          const eventFacts = factsOf(event, bench.factNames);
          const expected = (await engine.run(eventFacts)).results.map((result) => result.name);
          const actual = matcher.matchSync(eventFacts).ruleIds;
          expect(new Set(actual), `${workload.name}, ${size} rules, ${event.id}: ${event.text}`).toEqual(new Set(expected));
          expect(actual).toHaveLength(expected.length);
          expect(actual).toEqual(matcher.ruleIds.filter((id) => actual.includes(id)));
          fired += actual.length;
          if (actual.length > 1) severalFired++;
        }
        if (size === 300) {
          expect(fired / events.length).toBeGreaterThanOrEqual(LEAST_FIRED[workload.name]);
          // Dense: some posts fire several rules at once, so their order by priority is compared too.
          if (workload.name === 'dense') expect(severalFired).toBeGreaterThan(0);
        }
      }
    });
  }
});

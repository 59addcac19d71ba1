import type { Engine } from 'json-rules-engine';
import { type AsyncFacts, type ComputedFacts, type EngineDescription, type Facts, RuleMatcher } from '../matcher/index.js';
import type { CompiledRule } from './compile.js';
import { COMPUTED_FACTS } from './facts.js';
import type { TextConditions } from './operators.js';
import { textOperatorPlugin } from './text-operator-plugin.js';

/** What the rules module computes per event: its computed facts, `lang` asynchronously. */
export interface ComputedFactScope {
  computed(name: string): unknown;
  lang(): Promise<string | undefined>;
}

export interface RulesMatcherOptions {
  /** The rules module's rule-less engine (options, text operators, computed facts), described. */
  engine: EngineDescription;
  /** Builds that engine, for rules the matcher cannot compile (json-rules-engine is imported only then). */
  loadEngine: () => Promise<Engine>;
  text: TextConditions;
  /** The per-event scope the rules module passes among its facts. */
  scopeOf: (facts: Facts) => ComputedFactScope;
  /** A saved candidate index of the same rules (RuleMatcher's `index`). */
  index?: unknown;
}

/**
 * The computed facts the matcher reads synchronously (EventScope.computed); `lang` is the only one
 * the rules module computes asynchronously. A new computed fact must be added to one list or the
 * other (test/rules/rules-matcher.test.ts checks), since reading an asynchronous one synchronously
 * would see it unresolved.
 */
export const SYNC_COMPUTED_FACTS = ['localHour', 'weekday', 'businessHours', 'holiday', 'crisisMode'] as const;
export const ASYNC_COMPUTED_FACTS = ['lang'] as const;

/** The compiled matcher over the rules module's compiled rules, with its computed facts wired in. */
export function compileRulesMatcher(rules: readonly CompiledRule[], options: RulesMatcherOptions): RuleMatcher {
  const computedFacts: Record<string, (facts: Facts) => unknown> = {};
  for (const name of SYNC_COMPUTED_FACTS) {
    if (name in COMPUTED_FACTS) computedFacts[name] = (facts) => options.scopeOf(facts).computed(name);
  }
  // Any other computed fact stays with json-rules-engine (its rules fall back) rather than being misread.
  const asyncFacts: AsyncFacts = { lang: (facts) => options.scopeOf(facts).lang() };
  return RuleMatcher.compile(
    rules.map((rule) => ({ id: rule.id, priority: rule.priority, conditions: rule.conditions })),
    {
      engine: options.engine,
      loadEngine: options.loadEngine,
      plugins: [textOperatorPlugin(options.text)],
      computedFacts: computedFacts as ComputedFacts,
      asyncFacts,
      ...(options.index === undefined ? {} : { index: options.index }),
    },
  );
}

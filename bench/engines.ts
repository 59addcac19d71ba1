/**
 * The bench's rules as the rules module compiles them, and the two engines built from them: the
 * compiled matcher and json-rules-engine, both running the rules module's text operators. Shared by
 * `npm run bench` and the differential test, so both judge the same rules.
 */
import { Engine } from 'json-rules-engine';
import { ruleLanguage } from '../functions/app/rule-language.js';
import type { CanonicalEvent } from '../functions/core/event.js';
import { RuleMatcher } from '../functions/matcher/index.js';
import { type CompiledRule, compileRule } from '../functions/rules/compile.js';
import { parseFoghornConfig } from '../functions/rules/config.js';
import { fieldValue } from '../functions/rules/facts.js';
import { TextConditions } from '../functions/rules/operators.js';
import { textOperatorPlugin } from '../functions/rules/text-operator-plugin.js';
import type { BenchRule } from './workload.js';

export interface CompiledBenchRules {
  compiled: CompiledRule[];
  text: TextConditions;
  /** Every fact the rules read. */
  factNames: string[];
}

export function compileBenchRules(rules: readonly BenchRule[]): CompiledBenchRules {
  const config = parseFoghornConfig({}, undefined, { extensions: ruleLanguage });
  const text = new TextConditions();
  const compiled = rules.map((rule, order) => {
    const result = compileRule(rule, 'bench', order, { config, text, extensions: ruleLanguage });
    if (!result.rule) throw new Error(`bench rule ${rule.id} does not validate: ${JSON.stringify(result.problems)}`);
    return result.rule;
  });
  return { compiled, text, factNames: [...new Set(compiled.flatMap((rule) => [...rule.facts]))] };
}

/** The facts the rules module passes to json-rules-engine for an event. */
export function factsOf(event: CanonicalEvent, names: readonly string[]): Record<string, unknown> {
  const facts: Record<string, unknown> = {};
  for (const name of names) facts[name] = fieldValue(event, name);
  return facts;
}

export function engineFor(text: TextConditions): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true, allowUndefinedConditions: false, replaceFactsInEventParams: false });
  text.install(engine);
  return engine;
}

/** `index`: a saved candidate index of the same rules (RuleMatcher's `index`), restored instead of built. */
export function matcherFor({ compiled, text }: CompiledBenchRules, index?: unknown): RuleMatcher {
  return RuleMatcher.compile(
    compiled.map((rule) => ({ id: rule.id, priority: rule.priority, conditions: rule.conditions })),
    { createEngine: () => engineFor(text), plugins: [textOperatorPlugin(text)], ...(index === undefined ? {} : { index }) },
  );
}

export function jreFor({ compiled, text }: CompiledBenchRules): Engine {
  const engine = engineFor(text);
  for (const rule of compiled)
    engine.addRule({ name: rule.id, priority: rule.priority, conditions: rule.conditions as never, event: { type: 'fire' } });
  return engine;
}

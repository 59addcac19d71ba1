import type { EngineView, JreOperator } from './jre.js';
import { DEFAULT_OPERATOR_DECORATORS, DEFAULT_OPERATORS, type OperatorFn } from './operators.js';

/**
 * A rule-less json-rules-engine engine described rather than built: what the compiler needs to agree with
 * it, so a matcher can be compiled without loading json-rules-engine (about 80 KB with its dependencies);
 * the engine itself is built only for rules the compiler leaves to it.
 */
export interface EngineDescription {
  /** The engine's `allowUndefinedFacts` option (default false). */
  allowUndefinedFacts?: boolean;
  /** Operators added with addOperator (no fact value validator), by name; a default of that name is replaced. */
  operators?: Readonly<Record<string, OperatorFn>>;
  /** Facts added with a function (addFact(id, fn, { priority })), by id: computed by the engine. */
  dynamicFacts?: Readonly<Record<string, { priority?: number }>>;
}

/**
 * The view the compiler reads, as viewEngine() reads it from an engine built with these options, operators
 * and facts: json-rules-engine's default operators and decorators (OperatorMap.get) from the matcher's own
 * tables, and the JSONPath default resolver.
 */
export function describedEngine(description: EngineDescription): EngineView {
  const custom = description.operators ?? {};
  const resolved = new Map<string, JreOperator | undefined>();
  const base = (name: string): JreOperator | undefined => {
    if (Object.hasOwn(custom, name)) return operator(name, custom[name] as OperatorFn);
    const fn = Object.hasOwn(DEFAULT_OPERATORS, name) ? DEFAULT_OPERATORS[name] : undefined;
    return fn === undefined ? undefined : operator(name, fn);
  };
  const lookup = (name: string): JreOperator | undefined => {
    const known = base(name);
    if (known !== undefined) return known;
    // OperatorMap.get: the leading `decorator:` parts are applied, innermost last.
    const colon = name.indexOf(':');
    if (colon <= 0) return undefined;
    const decoratorName = name.slice(0, colon);
    const decorator = Object.hasOwn(DEFAULT_OPERATOR_DECORATORS, decoratorName) ? DEFAULT_OPERATOR_DECORATORS[decoratorName] : undefined;
    const inner = decorator === undefined ? undefined : cached(name.slice(colon + 1));
    if (decorator === undefined || inner === undefined) return undefined;
    const next = (factValue: unknown, jsonValue: unknown) => inner.evaluate(factValue, jsonValue);
    return operator(name, (factValue, jsonValue) => decorator.cb(factValue, jsonValue, next), decorator.factValueValidator);
  };
  const cached = (name: string): JreOperator | undefined => {
    if (!resolved.has(name)) resolved.set(name, lookup(name));
    return resolved.get(name);
  };
  const facts = description.dynamicFacts ?? {};
  return {
    allowUndefinedFacts: description.allowUndefinedFacts === true,
    pathResolver: undefined,
    operator: cached,
    isDefaultOperator: (name) => Object.hasOwn(DEFAULT_OPERATORS, name) && !Object.hasOwn(custom, name),
    fact: (id) =>
      Object.hasOwn(facts, id) ? { id, priority: (facts[id] as { priority?: number }).priority ?? 1, isConstant: () => false } : undefined,
  };
}

function operator(name: string, cb: OperatorFn, factValueValidator: (factValue: unknown) => boolean = () => true): JreOperator {
  // Operator.evaluate: the validator, then the callback.
  return { name, cb, factValueValidator, evaluate: (factValue, jsonValue) => factValueValidator(factValue) && cb(factValue, jsonValue) };
}

import type { Engine } from 'json-rules-engine';

/**
 * The parts of a json-rules-engine Engine the compiler reads to agree with it: options, operators, facts.
 * They are not in the package's type declarations, so they are named here, in one place.
 */
export interface JreOperator {
  name: string;
  cb: (factValue: unknown, jsonValue: unknown) => unknown;
  factValueValidator: (factValue: unknown) => boolean;
  evaluate(factValue: unknown, jsonValue: unknown): unknown;
}

export interface JreFact {
  id: string;
  priority: number;
  value?: unknown;
  isConstant(): boolean;
}

interface JreEngineInternals {
  allowUndefinedFacts: boolean;
  pathResolver?: (value: object, path: string) => unknown;
  operators: { get(name: string): JreOperator | null };
  facts: Map<string, JreFact>;
  conditions: Map<string, unknown>;
}

export interface EngineView {
  readonly allowUndefinedFacts: boolean;
  /** A custom path resolver, or undefined for json-rules-engine's JSONPath default. */
  readonly pathResolver: ((value: object, path: string) => unknown) | undefined;
  operator(name: string): JreOperator | undefined;
  /** True when `name` resolves to json-rules-engine's own operator of that name (not a replacement). */
  isDefaultOperator(name: string): boolean;
  fact(id: string): JreFact | undefined;
}

/**
 * A rule-less engine of the same class, whose operators are json-rules-engine's own: made from the engine's
 * constructor, so this module needs no import of json-rules-engine (the matcher compiles without loading it).
 */
const pristines = new WeakMap<object, JreEngineInternals>();
function pristineOf(engine: Engine): JreEngineInternals {
  const make = engine.constructor as new () => Engine;
  let pristine = pristines.get(make);
  if (pristine === undefined) {
    pristine = new make() as unknown as JreEngineInternals;
    pristines.set(make, pristine);
  }
  return pristine;
}

export function viewEngine(engine: Engine): EngineView {
  const internals = engine as unknown as JreEngineInternals;
  const pristine = pristineOf(engine);
  return {
    allowUndefinedFacts: Boolean(internals.allowUndefinedFacts),
    pathResolver: internals.pathResolver,
    operator: (name) => internals.operators.get(name) ?? undefined,
    isDefaultOperator: (name) => {
      const mine = internals.operators.get(name);
      return mine !== null && mine === pristine.operators.get(name);
    },
    fact: (id) => internals.facts.get(id),
  };
}

/** True when the engine's operator `name` exists and is not json-rules-engine's own: one an OperatorPlugin may restate. */
export function isCustomOperator(engine: EngineView, name: string): boolean {
  return engine.operator(name) !== undefined && !engine.isDefaultOperator(name);
}

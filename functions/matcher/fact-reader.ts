import { MatcherFactError } from './errors.js';
import type { EngineView } from './jre.js';

/** The runtime facts of one event, exactly as they would be passed to json-rules-engine's `run()`. */
export type Facts = Readonly<Record<string, unknown>>;

/** Reads one fact (and its `path`) from an event's facts, as json-rules-engine's Almanac would. */
export type FactReader = (facts: Facts) => unknown;

const hasOwn = Object.prototype.hasOwnProperty;

/** Same message and code as json-rules-engine's UndefinedFactError, so callers can treat both alike. */
export class UndefinedFactError extends MatcherFactError {
  readonly code = 'UNDEFINED_FACT';
}

/**
 * Compiles the lookup of `factId` (+ `path`), or returns undefined when only json-rules-engine can
 * compute it: a dynamic fact registered on the engine, or a JSONPath beyond plain `$.a.b` steps
 * with the default resolver.
 */
export function compileFactReader(
  factId: unknown,
  path: unknown,
  engine: EngineView,
  computed: ComputedFacts = {},
  prefetched: ReadonlySet<string> = new Set(),
): FactReader | undefined {
  if (typeof factId !== 'string' || factId === '') return undefined;
  const engineFact = engine.fact(factId);
  let read: FactReader;
  if (engineFact !== undefined && !engineFact.isConstant()) {
    const compute = hasOwn.call(computed, factId) ? computed[factId] : undefined;
    if (compute !== undefined) read = readComputedFact(factId, compute);
    else if (prefetched.has(factId)) read = readPrefetchedFact(factId);
    else return undefined;
  } else {
    read = readFact(factId, engineFact === undefined ? undefined : { value: engineFact.value }, engine.allowUndefinedFacts);
  }
  // Almanac.factValue: a falsy path is no path.
  if (!path) return read;
  if (typeof path !== 'string') return undefined;
  const resolve = engine.pathResolver ?? compileSimpleJsonPath(path);
  if (resolve === undefined) return undefined;
  const custom = engine.pathResolver;
  return (facts) => {
    const value = read(facts);
    // Almanac.factValue applies the path only to non-null objects; anything else is returned as is.
    if (value === null || typeof value !== 'object') return value;
    return custom === undefined ? (resolve as (v: object) => unknown)(value) : custom(value, path);
  };
}

/**
 * Synchronous equivalents of the engine's dynamic facts (same value for the same event facts), so
 * rules that name them compile instead of falling back.
 */
export type ComputedFacts = Readonly<Record<string, (facts: Facts) => unknown>>;

function readComputedFact(factId: string, compute: (facts: Facts) => unknown): FactReader {
  // A runtime fact of the same id replaces the engine's definition (Engine.run adds it last).
  return (facts) => (hasOwn.call(facts, factId) ? plainValue(factId, facts[factId]) : compute(facts));
}

/** An asynchronous fact the matcher resolves before evaluating the rules that name it (see AsyncFacts). */
function readPrefetchedFact(factId: string): FactReader {
  return (facts) => {
    if (hasOwn.call(facts, factId)) return plainValue(factId, facts[factId]);
    throw new MatcherFactError(`fact '${factId}' was not resolved before evaluation`);
  };
}

/**
 * Asynchronous equivalents of the engine's dynamic facts (language detection): resolved once per event,
 * and only when a rule that the index let through names them.
 */
export type AsyncFacts = Readonly<Record<string, (facts: Facts) => Promise<unknown>>>;

function plainValue(factId: string, value: unknown): unknown {
  if (typeof value === 'function') {
    throw new MatcherFactError(`fact '${factId}' is a function; the compiled matcher reads plain values only`);
  }
  return value;
}

function readFact(factId: string, engineFact: { value: unknown } | undefined, allowUndefinedFacts: boolean): FactReader {
  return (facts) => {
    if (hasOwn.call(facts, factId)) return plainValue(factId, facts[factId]);
    if (engineFact !== undefined) return engineFact.value;
    if (allowUndefinedFacts) return undefined;
    throw new UndefinedFactError(`Undefined fact: ${factId}`);
  };
}

const SIMPLE_PATH = /^(?:\$\.)?([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)$/;

/**
 * `$.a.b` (or `a.b`) with jsonpath-plus semantics under `wrap: false`: each step reads an own property
 * of whatever value it reached (strings and arrays included, so `$.text.length` works), else undefined.
 * Anything richer (wildcards, filters, brackets) is left to json-rules-engine.
 */
export function compileSimpleJsonPath(path: string): ((value: object) => unknown) | undefined {
  const match = SIMPLE_PATH.exec(path);
  if (match === null || match[1] === undefined) return undefined;
  const steps = match[1].split('.');
  if (steps.some((step) => step === '$')) return undefined;
  return (value) => {
    let current: unknown = value;
    for (const step of steps) {
      if (current === null || current === undefined || !hasOwn.call(current, step)) return undefined;
      current = (current as Record<string, unknown>)[step];
    }
    return current;
  };
}

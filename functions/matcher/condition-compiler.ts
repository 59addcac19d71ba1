import { type ComputedFacts, compileFactReader, type FactReader, type Facts } from './fact-reader.js';
import { type Atom, type Group, type Guard, guardAll, guardAny, NO_GUARD, type Primitive } from './guard.js';
import type { EngineView } from './jre.js';
import { DEFAULT_OPERATORS } from './operators.js';

/** Per-event scratch shared by every condition of one match: the facts and a memo for derived values. */
export interface EventContext {
  readonly facts: Facts;
  readonly memo: Map<string, unknown>;
}

export type ConditionFn = (context: EventContext) => unknown;

/** A compiled operator beyond json-rules-engine's defaults (Foghorn's text operators plug in here). */
export interface OperatorCompiler {
  /**
   * Returns undefined when this condition's value cannot be compiled; json-rules-engine then runs the rule.
   * `test` must answer what the engine's registered operator answers for the same fact value.
   */
  compile(read: FactReader, field: string, value: unknown): { test: ConditionFn; guard: Guard } | undefined;
}

export interface CompilerSetup {
  engine: EngineView;
  computedFacts: ComputedFacts;
  /** Facts resolved asynchronously before evaluation; never indexed (they are unknown while indexing). */
  asyncFacts: ReadonlySet<string>;
  /** Told of each asynchronous fact the rule being compiled names. */
  usesAsyncFact: (name: string) => void;
  /** Readers already compiled in this rule set, by fact and path: rules share them. */
  readers: Map<string, FactReader | undefined>;
  /** Fast versions of custom operators, used only when the engine's operator of that name is `registered`. */
  operators: ReadonlyMap<string, { registered: (name: string) => boolean; compiler: OperatorCompiler }>;
}

/** Why a rule falls back to json-rules-engine; thrown inside the compiler, caught per rule. */
export class NotCompilable extends Error {}

/** A condition json-rules-engine's Rule and Condition constructors refuse too: the rule cannot run anywhere. */
export class Malformed extends NotCompilable {}

interface CompiledNode {
  run: ConditionFn;
  /** Necessary for the node to hold. */
  positive: Guard;
  /** Necessary for the node to fail. */
  negative: Guard;
  /** json-rules-engine's ordering key among siblings (Rule.prioritizeConditions). */
  priority: unknown;
  /** Rough evaluation cost, to test cheap conditions first within a priority set. */
  cost: number;
  /**
   * An `equal` on an indexed field against a constant: its positive guard is that one atom, which the index checks
   * for every candidate (CandidateIndex), so on a candidate whose fields the index could read it holds.
   */
  indexedEquality?: true;
  /** A default operator against a constant, given apart so a conjunction can make the comparison itself. */
  comparison?: Comparison;
}

/** `operate(read(facts), value)`: a leaf of a default operator against a constant value. */
export interface Comparison {
  operate: (factValue: unknown, value: unknown) => unknown;
  read: FactReader;
  value: unknown;
}

/** Relative costs: a field comparison, an engine operator call, a text operator (normalises the text once per event). */
const COST = { compare: 1, engineOperator: 4, text: 40 } as const;

const hasOwn = Object.prototype.hasOwnProperty;
/** Inside a disjunction, which group of a child to file under: phrases are rarer than field values. */
const STATIC_COST = (group: Group): number => group.reduce((sum, atom) => sum + (atom.kind === 'phrase' ? 1 : 20), 0);

function booleanOperator(node: object): 'any' | 'all' | 'not' | undefined {
  if (hasOwn.call(node, 'any')) return 'any';
  if (hasOwn.call(node, 'all')) return 'all';
  if (hasOwn.call(node, 'not')) return 'not';
  return undefined;
}

/**
 * Compiles a rule's top-level condition into a synchronous function whose truthiness is the rule's
 * result in json-rules-engine (Rule.evaluate), plus the guard the index may use.
 * Throws NotCompilable for anything only json-rules-engine can run.
 */
export function compileTopLevel(
  conditions: unknown,
  setup: CompilerSetup,
): {
  run: ConditionFn;
  guard: Guard;
  /** `run` without the equalities the index checked (indexedEquality), for a candidate whose indexed fields were all readable. */
  runIndexed: ConditionFn;
  /** `runIndexed` as its first comparison and the rest, when it is a conjunction that starts with one. */
  lead?: Lead;
} {
  if (conditions === null || typeof conditions !== 'object') throw new Malformed('conditions must be an object');
  const op = booleanOperator(conditions);
  if (op === undefined) {
    if (hasOwn.call(conditions, 'condition')) throw new NotCompilable('root is a condition reference');
    throw new Malformed('"conditions" root must contain a single instance of "all", "any", "not", or "condition"');
  }
  if (op === 'not') {
    const child = compileNode(notChild(conditions), setup);
    const run: ConditionFn = (context) => !child.run(context);
    return { run, guard: child.negative, runIndexed: run };
  }
  const children = compileChildren(conditions, op, setup);
  const run = combine(children, op);
  if (op === 'any') return { run, guard: anyGuard(children), runIndexed: run };
  if (children.length < 2) return { run, guard: allGuard(children), runIndexed: children[0]?.indexedEquality ? () => true : run };
  // The index has checked its equalities: each would return `true`, so the others decide, in the same order, on strict `true`.
  const others = inOrder(children).filter((child) => !child.indexedEquality);
  const runIndexed = others.length === children.length ? run : strictly(others, 'all');
  const comparison = others[0]?.comparison;
  // One other condition is its own rest (no closure around it): the matcher takes its result on strict `true`.
  const rest = others.length === 2 ? (others[1] as CompiledNode).run : strictly(others.slice(1), 'all');
  const lead = comparison !== undefined && others.length >= 2 ? { lead: { comparison, rest } } : {};
  return { run, guard: allGuard(children), runIndexed, ...lead };
}

/** `comparison(facts) === true && rest(context) === true` is the rule's result (`rest` may return anything): the matcher keeps the comparison in columns. */
export interface Lead {
  comparison: Comparison;
  rest: ConditionFn;
}

function notChild(node: object): unknown {
  const child = (node as { not: unknown }).not;
  if (Array.isArray(child)) throw new Malformed('"not" cannot be an array');
  return child;
}

function compileChildren(node: object, op: 'any' | 'all', setup: CompilerSetup): CompiledNode[] {
  const list = (node as Record<string, unknown>)[op];
  if (!Array.isArray(list)) throw new Malformed(`"${op}" must be an array`);
  return list.map((child) => compileNode(child, setup));
}

function allGuard(children: readonly CompiledNode[]): Guard {
  return guardAll(children.map((child) => child.positive));
}

function anyGuard(children: readonly CompiledNode[]): Guard {
  return guardAny(
    children.map((child) => child.positive),
    STATIC_COST,
  );
}

function compileNode(node: unknown, setup: CompilerSetup): CompiledNode {
  if (node === null || typeof node !== 'object') throw new Malformed('condition must be an object');
  const op = booleanOperator(node);
  if (op !== undefined) {
    // Condition constructor: boolean conditions always have a priority, default 1.
    const priority = Number.parseInt((node as { priority?: unknown }).priority as string, 10) || 1;
    if (op === 'not') {
      const child = compileNode(notChild(node), setup);
      const run = child.run;
      return { run: (context) => !run(context), positive: child.negative, negative: child.positive, priority, cost: child.cost };
    }
    const children = compileChildren(node, op, setup);
    const combined = combine(children, op);
    return {
      // Nested boolean conditions pass only on a strict `true` (Rule.evaluate's evaluateCondition).
      run: (context) => combined(context) === true,
      positive: op === 'all' ? allGuard(children) : anyGuard(children),
      negative:
        op === 'all'
          ? guardAny(
              children.map((child) => child.negative),
              STATIC_COST,
            )
          : guardAll(children.map((child) => child.negative)),
      priority,
      cost: children.reduce((sum, child) => sum + child.cost, 0),
    };
  }
  if (hasOwn.call(node, 'condition')) throw new NotCompilable('condition references are resolved by json-rules-engine');
  return compileLeaf(node as Record<string, unknown>, setup);
}

function compileLeaf(node: Record<string, unknown>, setup: CompilerSetup): CompiledNode {
  for (const required of ['fact', 'operator', 'value']) {
    if (!hasOwn.call(node, required)) throw new Malformed(`condition without "${required}"`);
  }
  const { engine } = setup;
  const read = sharedReader(node.fact, node.path, setup);
  if (read === undefined) throw new NotCompilable(`fact '${String(node.fact)}' is computed by json-rules-engine`);
  const indexable = !isAsyncFact(node.fact, setup);
  const field = `${String(node.fact)}\u0000${node.path ? String(node.path) : ''}`;
  const name = node.operator;
  if (typeof name !== 'string') throw new NotCompilable('operator must be a string');
  const priority = factPriority(node, engine);
  const value = node.value;
  const valueIsFact = value !== null && typeof value === 'object' && hasOwn.call(value, 'fact');

  const custom = setup.operators.get(name);
  if (custom?.registered(name) && !valueIsFact) {
    const compiled = custom.compiler.compile(read, field, value);
    if (compiled !== undefined)
      return { run: compiled.test, positive: indexable ? compiled.guard : NO_GUARD, negative: NO_GUARD, priority, cost: COST.text };
  }

  const readValue = valueIsFact ? compileValueReader(value as Record<string, unknown>, setup) : undefined;
  if (engine.isDefaultOperator(name)) {
    const operate = DEFAULT_OPERATORS[name];
    if (operate !== undefined) {
      const run: ConditionFn = readValue
        ? (context) => operate(read(context.facts), readValue(context.facts))
        : (context) => operate(read(context.facts), value);
      const guards = readValue || !indexable ? { positive: NO_GUARD, negative: NO_GUARD } : defaultOperatorGuards(name, field, read, value);
      const indexedEquality = name === 'equal' && guards.positive.length === 1 ? { indexedEquality: true as const } : {};
      const comparison = readValue ? {} : { comparison: { operate, read, value } };
      return { run, ...guards, priority, cost: COST.compare, ...indexedEquality, ...comparison };
    }
  }
  const registered = engine.operator(name);
  if (registered === undefined) throw new NotCompilable(`unknown operator '${name}'`);
  // Any other operator the engine knows (custom or decorated) is synchronous: call it as the engine would.
  const run: ConditionFn = readValue
    ? (context) => registered.evaluate(read(context.facts), readValue(context.facts))
    : (context) => registered.evaluate(read(context.facts), value);
  return { run, positive: NO_GUARD, negative: NO_GUARD, priority, cost: COST.engineOperator };
}

function sharedReader(fact: unknown, path: unknown, setup: CompilerSetup): FactReader | undefined {
  if (typeof fact !== 'string' || (path !== undefined && typeof path !== 'string')) {
    return compileFactReader(fact, path, setup.engine, setup.computedFacts, setup.asyncFacts);
  }
  const key = `${fact}\u0000${path ?? ''}`;
  if (!setup.readers.has(key)) setup.readers.set(key, compileFactReader(fact, path, setup.engine, setup.computedFacts, setup.asyncFacts));
  return setup.readers.get(key);
}

function isAsyncFact(fact: unknown, setup: CompilerSetup): boolean {
  if (typeof fact !== 'string' || !setup.asyncFacts.has(fact)) return false;
  const definition = setup.engine.fact(fact);
  if (definition === undefined || definition.isConstant() || Object.hasOwn(setup.computedFacts, fact)) return false;
  setup.usesAsyncFact(fact);
  return true;
}

function compileValueReader(value: Record<string, unknown>, setup: CompilerSetup): FactReader {
  isAsyncFact(value.fact, setup);
  const read = sharedReader(value.fact, value.path, setup);
  if (read === undefined) throw new NotCompilable(`value fact '${String(value.fact)}' is computed by json-rules-engine`);
  return read;
}

/** Rule.prioritizeConditions: the condition's own priority, else its fact's, else 1. */
function factPriority(node: Record<string, unknown>, engine: EngineView): unknown {
  // Condition keeps the raw `priority` it was given (the parseInt result goes to the input object).
  const own = hasOwn.call(node, 'priority') ? node.priority : undefined;
  if (own) return own;
  const fact = typeof node.fact === 'string' ? engine.fact(node.fact) : undefined;
  return fact?.priority || 1;
}

function isIndexable(value: unknown): value is Primitive {
  if (value === null) return true;
  if (typeof value === 'number') return !Number.isNaN(value);
  return typeof value === 'string' || typeof value === 'boolean';
}

function defaultOperatorGuards(name: string, field: string, read: FactReader, value: unknown): { positive: Guard; negative: Guard } {
  const atom = (v: Primitive): Atom => ({ kind: 'value', field, read, value: v });
  const equalTo = (): Guard => (isIndexable(value) ? [[atom(value)]] : NO_GUARD);
  // Objects in the list can never be === a fact value; they drop out of the group.
  const oneOf = (): Guard => (Array.isArray(value) ? [value.filter(isIndexable).map(atom)] : NO_GUARD);
  switch (name) {
    case 'equal':
      return { positive: equalTo(), negative: NO_GUARD };
    case 'notEqual':
      return { positive: NO_GUARD, negative: equalTo() };
    case 'in':
      return { positive: oneOf(), negative: NO_GUARD };
    case 'notIn':
      return { positive: NO_GUARD, negative: oneOf() };
    default:
      return { positive: NO_GUARD, negative: NO_GUARD };
  }
}

/**
 * Rule.evaluate's prioritizeAndRun: no children is true; one child returns its raw result; more are
 * grouped by priority (highest first) and pass on strict `true` results. The engine evaluates every
 * condition of a priority set, so within a set the cheapest go first and evaluation stops at the
 * first that decides: the matcher never evaluates a condition the engine would not have.
 */
function combine(children: readonly CompiledNode[], op: 'all' | 'any'): ConditionFn {
  if (children.length === 0) return () => true;
  if (children.length === 1) return (children[0] as CompiledNode).run;
  return strictly(inOrder(children), op);
}

/** The children in the order they are evaluated: by priority set (highest first), cheapest first within one. */
function inOrder(children: readonly CompiledNode[]): CompiledNode[] {
  return prioritize(children).flatMap((set) => [...set].sort((a, b) => a.cost - b.cost));
}

/**
 * The children's runs in order, passing on strict `true` results, stopping at the first that decides. Two or three
 * children (most rules) are called from the closure itself, and a first child comparing a fact with a constant is
 * compared there: at thousands of rules each list and closure a candidate reaches is one more cache miss.
 */
function strictly(children: readonly CompiledNode[], op: 'all' | 'any'): ConditionFn {
  const flat = children.map((child) => child.run);
  const [a, b, c] = flat as [ConditionFn, ConditionFn, ConditionFn];
  const first = children[0]?.comparison;
  if (op === 'all') {
    if (flat.length === 0) return () => true;
    if (first !== undefined && flat.length <= 3) {
      const { operate, read, value } = first;
      if (flat.length === 1) return (context) => operate(read(context.facts), value) === true;
      if (flat.length === 2) return (context) => operate(read(context.facts), value) === true && b(context) === true;
      return (context) => operate(read(context.facts), value) === true && b(context) === true && c(context) === true;
    }
    if (flat.length === 1) return (context) => a(context) === true;
    if (flat.length === 2) return (context) => a(context) === true && b(context) === true;
    if (flat.length === 3) return (context) => a(context) === true && b(context) === true && c(context) === true;
    return (context) => {
      for (const run of flat) if (run(context) !== true) return false;
      return true;
    };
  }
  if (flat.length === 0) return () => false;
  if (flat.length === 1) return (context) => a(context) === true;
  if (flat.length === 2) return (context) => a(context) === true || b(context) === true;
  if (flat.length === 3) return (context) => a(context) === true || b(context) === true || c(context) === true;
  return (context) => {
    for (const run of flat) if (run(context) === true) return true;
    return false;
  };
}

function prioritize(children: readonly CompiledNode[]): CompiledNode[][] {
  const sets: Record<string, CompiledNode[]> = {};
  for (const child of children) {
    const key = String(child.priority);
    (sets[key] ??= []).push(child);
  }
  return Object.keys(sets)
    .sort((a, b) => (Number(a) > Number(b) ? -1 : 1))
    .map((key) => sets[key] as CompiledNode[]);
}

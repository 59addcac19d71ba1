import type { Engine, EngineResult, RuleProperties, TopLevelCondition } from 'json-rules-engine';
import { CandidateIndex, type CandidateIndexSnapshot } from './candidate-index.js';
import {
  type Comparison,
  type CompilerSetup,
  type ConditionFn,
  compileTopLevel,
  type EventContext,
  type Lead,
  Malformed,
  NotCompilable,
  type OperatorCompiler,
} from './condition-compiler.js';
import { describedEngine, type EngineDescription } from './engine-description.js';
import { MatcherCompileError } from './errors.js';
import type { AsyncFacts, ComputedFacts, Facts } from './fact-reader.js';
import type { Guard } from './guard.js';
import { type EngineView, viewEngine } from './jre.js';

/** A rule as the matcher sees it: json-rules-engine's conditions, a priority, an id. */
export interface MatcherRule {
  id: string;
  /** json-rules-engine's rule priority: higher runs first; default 1. */
  priority?: number;
  conditions: TopLevelCondition | Record<string, unknown>;
}

/** A fast version of a custom operator the engine has registered: a consumer plugs its own operators in this way. */
export interface OperatorPlugin {
  /** Operator names this plugin compiles. */
  readonly names: readonly string[];
  /** True when the engine's operator of that name is the one this plugin restates. */
  registered(engine: EngineView, name: string): boolean;
  readonly compiler: OperatorCompiler;
}

export interface MatcherOptions {
  /**
   * Builds the json-rules-engine engine the rules would run on, without rules: its options
   * (allowUndefinedFacts, pathResolver), operators and facts define the meaning the matcher keeps.
   * Rules that cannot be compiled run on it. Without it the engine is `engine` and `loadEngine`.
   */
  createEngine?: () => Engine;
  /**
   * The rule-less engine described instead of built (when no `createEngine`): the matcher compiles without
   * loading json-rules-engine. Default: `new Engine()`'s.
   */
  engine?: EngineDescription;
  /**
   * Builds the engine `engine` describes, for the rules the matcher cannot compile: called on the first
   * match() only if there are any. Default: `new Engine()`, json-rules-engine imported then.
   */
  loadEngine?: () => Promise<Engine>;
  plugins?: readonly OperatorPlugin[];
  /**
   * Synchronous equivalents of the engine's dynamic facts (the same value for the same event facts);
   * a rule naming a dynamic fact without one here runs on json-rules-engine.
   */
  computedFacts?: ComputedFacts;
  /**
   * Asynchronous equivalents of dynamic facts (language detection): resolved once per event, only
   * when a rule the index let through names one, then its rules are evaluated like the others.
   */
  asyncFacts?: AsyncFacts;
  /**
   * An index saved by indexSnapshot() of a matcher compiled from the same rules and options (at deploy time),
   * restored instead of built; one of another version or other rules is ignored and the index built.
   */
  index?: unknown;
}

export interface RuleMatch {
  /** Ids of the rules whose conditions hold, highest priority first, then in the order given. */
  ruleIds: string[];
}

const NONE: readonly string[] = [];

interface CompiledRule {
  id: string;
  priority: number;
  run: ConditionFn | undefined;
  /** `run` without the equalities the index checked, for a candidate of an event whose indexed fields were all read. */
  runIndexed: ConditionFn | undefined;
  lead: Lead | undefined;
  /** Asynchronous facts the rule names, resolved before it is evaluated. */
  asyncFacts: readonly string[];
}

/**
 * A rule set compiled once: an index that narrows each event to the rules that can fire, and
 * synchronous compiled conditions for those, agreeing with json-rules-engine on every rule. Rules
 * the compiler cannot handle (condition references, facts computed by the engine, complex JSONPath)
 * are run by json-rules-engine itself, and only those.
 *
 * Cost per event: one fold of each indexed text (about 5 µs for 20 words) and one pass of a typed-array
 * Aho–Corasick automaton over it (independent of the number of phrases); a hash lookup per indexed
 * field, read at most once; then, per rule the phrases or field values point to, an integer check of
 * its other indexed equalities (platform, kind, channel...), and a bit set, so only rules that meet
 * every indexed equality are evaluated, in priority order read off a bitset (no sort). A candidate's
 * containsAny/containsAll is answered from the fold when it can be (text-fold.ts, findPhrase); the
 * text analysis (about 30 µs) runs only for what the fold leaves open, once per event. What grows
 * with the rule count is the candidates: rules × the chance one's phrases and equalities all occur.
 */
export class RuleMatcher {
  /** Rule ids in evaluation order (priority, then input order). */
  readonly ruleIds: readonly string[];
  /** Rules json-rules-engine runs for every event, with the reason each could not be compiled. */
  readonly fallbackRules: ReadonlyArray<{ id: string; reason: string }>;
  private readonly rules: CompiledRule[];
  /** Each rule's compiled conditions by rule number, apart from the rule objects: one object fewer to reach per candidate. */
  private readonly runs: ReadonlyArray<ConditionFn | undefined>;
  private readonly indexedRuns: ReadonlyArray<ConditionFn | undefined>;
  /**
   * Each rule's lead comparison in columns (operator, reader, value; the rest of its conditions), for the rules whose
   * indexedRuns start with one: a candidate that fails it reaches no object of its own, the value being in the column.
   */
  private readonly leadOperates: ReadonlyArray<Comparison['operate'] | undefined>;
  private readonly leadReads: ReadonlyArray<Comparison['read'] | undefined>;
  private readonly leadValues: readonly unknown[];
  private readonly leadRests: ReadonlyArray<ConditionFn | undefined>;
  private readonly index: CandidateIndex;
  private readonly fallbackEngine: FallbackEngine | undefined;
  private readonly fallbackOrder: Map<string, number>;
  private readonly asyncFacts: AsyncFacts;
  /** True when some rule names an asynchronous fact: otherwise no candidate's rule object needs reaching for them. */
  private readonly anyAsyncFacts: boolean;

  private constructor(
    rules: CompiledRule[],
    guards: Array<Guard | undefined>,
    fallback: FallbackEngine | undefined,
    fallbackRules: Array<{ id: string; reason: string }>,
    asyncFacts: AsyncFacts,
    savedIndex: unknown,
  ) {
    this.asyncFacts = asyncFacts;
    this.rules = rules;
    this.ruleIds = rules.map((rule) => rule.id);
    this.runs = rules.map((rule) => rule.run);
    this.indexedRuns = rules.map((rule) => rule.runIndexed);
    this.leadOperates = rules.map((rule) => rule.lead?.comparison.operate);
    this.leadReads = rules.map((rule) => rule.lead?.comparison.read);
    this.leadValues = rules.map((rule) => rule.lead?.comparison.value);
    this.leadRests = rules.map((rule) => rule.lead?.rest);
    this.anyAsyncFacts = rules.some((rule) => rule.asyncFacts.length > 0);
    this.index = new CandidateIndex(guards, savedIndex);
    this.fallbackEngine = fallback;
    this.fallbackRules = fallbackRules;
    this.fallbackOrder = new Map(rules.map((rule, order) => [rule.id, order]));
  }

  static compile(input: readonly MatcherRule[], options: MatcherOptions = {}): RuleMatcher {
    const engine = options.createEngine?.();
    const view = engine === undefined ? describedEngine(options.engine ?? {}) : viewEngine(engine);
    let usedAsyncFacts = new Set<string>();
    const setup: CompilerSetup = {
      engine: view,
      computedFacts: options.computedFacts ?? {},
      asyncFacts: new Set(Object.keys(options.asyncFacts ?? {})),
      usesAsyncFact: (name) => usedAsyncFacts.add(name),
      readers: new Map(),
      operators: pluginTable(view, options.plugins ?? []),
    };
    const ordered = orderByPriority(input);
    const rules: CompiledRule[] = [];
    const guards: Array<Guard | undefined> = [];
    const fallbackRules: Array<{ id: string; reason: string }> = [];
    const fallbackInput: MatcherRule[] = [];
    for (const { rule, priority } of ordered) {
      usedAsyncFacts = new Set();
      try {
        const compiled = compileTopLevel(rule.conditions, setup);
        rules.push({
          id: rule.id,
          priority,
          run: compiled.run,
          runIndexed: compiled.runIndexed,
          lead: compiled.lead,
          asyncFacts: usedAsyncFacts.size === 0 ? NONE : [...usedAsyncFacts],
        });
        guards.push(compiled.guard);
      } catch (error) {
        if (!(error instanceof NotCompilable)) throw error;
        // A built engine refuses it in addRule below; a described one would only when loaded, so it is refused now.
        if (engine === undefined && error instanceof Malformed) throw new MatcherCompileError(`rule '${rule.id}': ${error.message}`);
        rules.push({ id: rule.id, priority, run: undefined, runIndexed: undefined, lead: undefined, asyncFacts: NONE });
        guards.push(undefined);
        fallbackRules.push({ id: rule.id, reason: error.message });
        // A built engine takes them now, so a rule it refuses is refused at compile; a described one when loaded.
        if (engine !== undefined) addFallbackRule(engine, rule);
        fallbackInput.push(rule);
      }
    }
    return new RuleMatcher(
      rules,
      guards,
      fallbackRules.length === 0 ? undefined : fallbackEngine(engine, fallbackInput, options.createEngine ?? options.loadEngine),
      fallbackRules,
      options.asyncFacts ?? {},
      options.index,
    );
  }

  /** The candidate index as JSON, to be saved with the rules and given back as `index` when they are compiled again. */
  indexSnapshot(): CandidateIndexSnapshot {
    return this.index.snapshot();
  }

  /** True when the candidate index was restored from `index` rather than built. */
  get indexRestored(): boolean {
    return this.index.restored;
  }

  /** True when every rule is compiled, so matchSync() can answer. */
  get fullyCompiled(): boolean {
    return this.fallbackEngine === undefined;
  }

  /** Compiled rules evaluated since compile (the candidates the index let through): for tests and benchmarks. */
  get evaluatedRules(): number {
    return this.evaluations;
  }

  private evaluations = 0;

  /** Ids of the rules the index lets through for these facts (for tests and benchmarks). */
  candidates(facts: Facts): string[] {
    return this.index.candidates({ facts, memo: new Map() }).map((rule) => (this.rules[rule] as CompiledRule).id);
  }

  /** The rules that hold, when every rule is compiled and no asynchronous fact is needed. */
  matchSync(facts: Facts): RuleMatch {
    if (this.fallbackEngine !== undefined) {
      throw new MatcherCompileError(`rules ${this.fallbackRules.map((rule) => rule.id).join(', ')} run on json-rules-engine; use match()`);
    }
    const context: EventContext = { facts, memo: new Map() };
    const candidates = this.index.candidates(context);
    const indexed = this.index.allFieldsRead;
    const pending = this.unresolvedAsyncFacts(candidates, facts);
    if (pending.length > 0) throw new MatcherCompileError(`facts ${pending.join(', ')} are asynchronous; use match()`);
    return { ruleIds: this.evaluate(candidates, context, indexed) };
  }

  async match(facts: Facts): Promise<RuleMatch> {
    let context: EventContext = { facts, memo: new Map() };
    let candidates = this.index.candidates(context);
    // Read now: another event's candidates() may run while this one awaits.
    const indexed = this.index.allFieldsRead;
    const pending = this.unresolvedAsyncFacts(candidates, facts);
    if (pending.length > 0) {
      // The index reuses its array on the next event, which may be matched while this one awaits.
      candidates = candidates.slice();
      const values = await Promise.all(pending.map((name) => (this.asyncFacts[name] as (facts: Facts) => Promise<unknown>)(facts)));
      const resolved: Record<string, unknown> = { ...facts };
      pending.forEach((name, position) => {
        resolved[name] = values[position];
      });
      context = { facts: resolved, memo: context.memo };
    }
    const compiled = this.evaluate(candidates, context, indexed);
    if (this.fallbackEngine === undefined) return { ruleIds: compiled };
    const { results } = await this.runFallback(this.fallbackEngine, facts);
    const order = this.fallbackOrder;
    const merged = [...compiled, ...results.map((result) => result.name)];
    merged.sort((a, b) => (order.get(a) as number) - (order.get(b) as number));
    return { ruleIds: merged };
  }

  /** Asynchronous facts that candidate rules name and the event's facts do not already carry. */
  private unresolvedAsyncFacts(candidates: readonly number[], facts: Facts): string[] {
    if (!this.anyAsyncFacts) return [];
    let pending: Set<string> | undefined;
    for (const number of candidates) {
      for (const name of (this.rules[number] as CompiledRule).asyncFacts) {
        if (!Object.hasOwn(facts, name)) (pending ??= new Set()).add(name);
      }
    }
    return pending === undefined ? [] : [...pending];
  }

  /**
   * One run at a time: an Engine keeps its running status on itself, and a run that finishes marks
   * the engine finished for any run still in progress, which then skips its remaining rules. A run that
   * throws (an undefined fact with strict facts, a fact that fails) leaves json-rules-engine answering the
   * next run wrongly (its rules' state is left half-evaluated), so the engine is replaced before the next one.
   */
  private runFallback(fallback: FallbackEngine, facts: Facts): Promise<EngineResult> {
    const run = this.fallbackQueue.then(async () => {
      const engine = await fallback.current();
      try {
        return await engine.run(facts as Record<string, unknown>);
      } catch (error) {
        fallback.replace();
        throw error;
      }
    });
    this.fallbackQueue = run.catch(() => undefined);
    return run;
  }

  private fallbackQueue: Promise<unknown> = Promise.resolve();

  /** `indexed`: the index read every field it checked, so each candidate's indexed equalities hold and are skipped. */
  private evaluate(candidates: readonly number[], context: EventContext, indexed: boolean): string[] {
    const fired: string[] = [];
    const { ruleIds } = this;
    this.evaluations += candidates.length;
    if (!indexed) {
      const runs = this.runs;
      for (let i = 0; i < candidates.length; i++) {
        const number = candidates[i] as number;
        // Rule.evaluate: the rule fires when its top-level result is truthy.
        if (runs[number]?.(context)) fired.push(ruleIds[number] as string);
      }
      return fired;
    }
    const { indexedRuns, leadOperates, leadReads, leadValues, leadRests } = this;
    for (let i = 0; i < candidates.length; i++) {
      const number = candidates[i] as number;
      const operate = leadOperates[number];
      const holds =
        operate === undefined
          ? indexedRuns[number]?.(context)
          : operate((leadReads[number] as Comparison['read'])(context.facts), leadValues[number]) === true &&
            (leadRests[number] as ConditionFn)(context) === true;
      if (holds) fired.push(ruleIds[number] as string);
    }
    return fired;
  }
}

/** The engine the rules the compiler left run on, and a fresh one when a run has left it unreliable. */
interface FallbackEngine {
  current(): Promise<Engine>;
  /** The next `current` is a new engine given the same rules. */
  replace(): void;
}

/**
 * The engine given (built by `create`, its rules added at compile), else one loaded on first need and given them;
 * a replacement is made the same way, by `create` (or `load`), with the same rules.
 */
function fallbackEngine(
  engine: Engine | undefined,
  rules: readonly MatcherRule[],
  create: (() => Engine | Promise<Engine>) | undefined,
): FallbackEngine {
  let loading: Promise<Engine> | undefined = engine === undefined ? undefined : Promise.resolve(engine);
  const build = async () => {
    const built = await (create ?? defaultEngine)();
    for (const rule of rules) addFallbackRule(built, rule);
    return built;
  };
  return {
    current: () => (loading ??= build()),
    replace: () => {
      loading = undefined;
    },
  };
}

async function defaultEngine(): Promise<Engine> {
  return new (await import('json-rules-engine')).Engine();
}

function pluginTable(engine: EngineView, plugins: readonly OperatorPlugin[]): CompilerSetup['operators'] {
  const table = new Map<string, { registered: (name: string) => boolean; compiler: OperatorCompiler }>();
  for (const plugin of plugins) {
    for (const name of plugin.names) {
      let registered: boolean | undefined;
      table.set(name, { registered: (n) => (registered ??= plugin.registered(engine, n)), compiler: plugin.compiler });
    }
  }
  return table;
}

/**
 * Engine.prioritizeRules: rules run in sets of equal priority, highest first. Invalid priorities are
 * refused with the engine's own rule (Rule.setPriority), naming the rule.
 */
function orderByPriority(rules: readonly MatcherRule[]): Array<{ rule: MatcherRule; priority: number }> {
  const seen = new Set<string>();
  const withPriority = rules.map((rule, position) => {
    if (typeof rule.id !== 'string' || rule.id === '') throw new MatcherCompileError(`rule #${position} has no id`);
    if (seen.has(rule.id)) throw new MatcherCompileError(`rule id '${rule.id}' is used twice`);
    seen.add(rule.id);
    const priority = Number.parseInt(String(rule.priority || 1), 10);
    if (priority <= 0) throw new MatcherCompileError(`rule '${rule.id}': priority must be greater than zero`);
    return { rule, priority, position };
  });
  const sets: Record<string, typeof withPriority> = {};
  for (const entry of withPriority) (sets[String(entry.priority)] ??= []).push(entry);
  return Object.keys(sets)
    .sort((a, b) => (Number(a) > Number(b) ? -1 : 1))
    .flatMap((key) => sets[key] as typeof withPriority);
}

function addFallbackRule(engine: Engine, rule: MatcherRule): void {
  // json-rules-engine writes parsed priorities back into the conditions it is given: hand it a copy.
  const properties: RuleProperties = {
    name: rule.id,
    priority: rule.priority,
    conditions: structuredClone(rule.conditions) as TopLevelCondition,
    event: { type: rule.id },
  };
  try {
    engine.addRule(properties);
  } catch (error) {
    throw new MatcherCompileError(`rule '${rule.id}': ${(error as Error).message}`, { cause: error });
  }
}

import type { CanonicalEvent } from './event.js';

/**
 * The port the evaluate step decides through (evaluate.ts owns it, as its consumer): the rule
 * language implements it (functions/rules/create-rule-set.ts) and crisis mode wraps it. Everything else
 * under functions/rules/ is the rule language's own business.
 */

/** One action a rule decided, already rendered (reply text chosen by language, placeholders filled). */
export interface PlannedAction {
  /** `reply`, `post`, `tag`, `hold`, `escalate`, … */
  type: string;
  ruleId: string;
  /** Position of the action in the rule's `then:` list; part of the command's idempotency key. */
  index: number;
  params: Record<string, unknown>;
}

export interface Decision {
  eventId: string;
  /** Rules whose conditions held, in the order they ran (a rule held back by a limit is still listed). */
  rules: string[];
  actions: PlannedAction[];
  /**
   * Volume rules that acted: their `onQuiet:` actions rendered for this event (index = position in
   * `onQuiet:`). Not run now: the crisis layer keeps them on the spike episode this event opens.
   */
  onQuiet?: PlannedAction[];
  /** Present when the context asked to explain. */
  explanation?: RuleExplanation[];
  /** Present when the context asked to explain: the post's language and what decided it, `fa (from: text | platform | author | channel)`. */
  language?: string;
}

/**
 * Shared state for limits and guards (cooldowns, once-per-thread, per-rule ceilings, daily caps).
 * One primitive, implementable with conditional writes and atomic counters (no transactions):
 * take one unit of `key`'s allowance of `limit` per `windowMs`; false when the allowance is spent.
 */
export interface RuleState {
  tryAcquire(key: string, limit: number, windowMs: number, now: Date): Promise<boolean>;
  /**
   * Units of `key` taken within the window ending at `now`, without taking one. Optional: without it
   * a tripped circuit breaker only pauses a rule while its per-minute ceiling is spent.
   */
  peek?(key: string, limit: number, windowMs: number, now: Date): Promise<number>;
}

export interface EvaluationContext {
  now: Date;
  state: RuleState;
  /** Also return `Decision.explanation` (every rule, every condition with its fact value and outcome). */
  explain?: boolean;
  /** The crisis-mode switch, for the `crisisMode` fact (false when absent). */
  crisisMode?: boolean;
}

/** One condition as evaluated: `result` is absent when evaluation short-circuited before it. */
export interface ConditionExplanation {
  /** `all`, `any`, `not`, or a leaf's operator. */
  operator: string;
  fact?: string;
  path?: string;
  value?: unknown;
  factValue?: unknown;
  result?: boolean;
  conditions?: ConditionExplanation[];
}

/**
 * Why a rule whose conditions held did not act, or dropped its reply: the limit, guard or wait that did, for tools
 * that must not depend on the words of `reason` (the dry run's fates).
 */
export type HoldCode = 'perAuthor' | 'oncePerThread' | 'perMinute' | 'repliesPerAuthorPerDay' | 'volume' | 'ownAccount' | 'after';

export interface RuleExplanation {
  rule: string;
  /**
   * fired: acted; held: conditions held but a limit or guard kept its actions back; no-match;
   * not-reached: a higher-priority rule with `stop` held.
   */
  outcome: 'fired' | 'held' | 'no-match' | 'not-reached';
  reason?: string;
  /** With `reason` when a limit, guard or wait kept the rule's actions (or its reply) back. */
  code?: HoldCode;
  /** For code `after`: when the rule acts unless the conversation is answered first. */
  dueAt?: string;
  conditions?: ConditionExplanation;
}

export interface RuleSet {
  /** Ids of the loaded rules, in evaluation order. */
  readonly ruleIds: readonly string[];
  evaluate(event: CanonicalEvent, context: EvaluationContext): Promise<Decision>;
}

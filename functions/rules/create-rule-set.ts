import type { Almanac, Engine, RuleResult } from 'json-rules-engine';
import type { CanonicalEvent } from '../core/event.js';
import type { Decision, EvaluationContext, HoldCode, PlannedAction, RuleExplanation, RuleSet } from '../core/rule-set.js';
import type { CandidateIndexSnapshot, EngineDescription, RuleMatcher } from '../matcher/index.js';
import type { CompiledRule } from './compile.js';
import type { FoghornConfig } from './config.js';
import { EventScope, SCOPE_FACT } from './event-scope.js';
import { explainCondition } from './explain.js';
import { COMPUTED_FACTS, fieldValue } from './facts.js';
import { AuthorLanguages } from './lang/author-languages.js';
import { createTextLanguageDetector } from './lang/detect.js';
import type { TextConditions } from './operators.js';
import { fitRendered } from './overflow.js';
import { needsLanguage, renderAction } from './render.js';
import { compileRulesMatcher } from './rules-matcher.js';
import { localTimeCalculator } from './time.js';

const DAY_MS = 86_400_000;
/** oncePerThread remembers a thread this long (state is windowed; threads rarely live longer). */
const THREAD_MEMORY_MS = 90 * DAY_MS;

/** 86400000 → "1d", 900000 → "15m": durations as rule authors write them. */
function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
  ] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${Math.round(ms / 1000)}s`;
}

/** The evaluation order: priority descending, then load order (file path, position in file). */
function byPriority(a: CompiledRule, b: CompiledRule): number {
  return b.priority - a.priority || a.order - b.order;
}

/**
 * The engine without rules: options, text operators and computed facts. json-rules-engine is imported only
 * here, when an explanation is asked or a rule the matcher cannot compile runs: a cold start does not load it.
 */
async function ruleLessEngine(text: TextConditions): Promise<Engine> {
  const { Engine } = await import('json-rules-engine');
  const engine = new Engine([], { allowUndefinedFacts: true, allowUndefinedConditions: false, replaceFactsInEventParams: false });
  text.install(engine);
  for (const name of Object.keys(COMPUTED_FACTS)) {
    engine.addFact(name, async (_params: Record<string, unknown>, almanac: Almanac) => {
      const scope = await almanac.factValue<EventScope>(SCOPE_FACT);
      if (name === 'lang') return scope.lang();
      return scope.computed(name);
    });
  }
  return engine;
}

/** ruleLessEngine() as the compiled matcher reads it, without building it. */
function ruleLessEngineDescription(text: TextConditions): EngineDescription {
  return {
    allowUndefinedFacts: true,
    operators: text.operators(),
    dynamicFacts: Object.fromEntries(Object.keys(COMPUTED_FACTS).map((name) => [name, {}])),
  };
}

/** The enabled rules in evaluation order: what the engine and the matcher are given. */
function enabledRules(rules: readonly CompiledRule[]): CompiledRule[] {
  return rules.filter((rule) => rule.enabled).sort(byPriority);
}

function rulesMatcher(enabled: readonly CompiledRule[], text: TextConditions, index?: unknown): RuleMatcher {
  return compileRulesMatcher(enabled, {
    engine: ruleLessEngineDescription(text),
    loadEngine: () => ruleLessEngine(text),
    text,
    scopeOf: (facts) => facts[SCOPE_FACT] as EventScope,
    ...(index === undefined ? {} : { index }),
  });
}

/**
 * The compiled matcher's candidate index for these rules, to be saved with them (compiled-rule-set.ts) and given
 * to createRuleSet as `matcherIndex` when the same rules are compiled again, so it is not built again.
 */
export function matcherIndexOf(compiled: { rules: readonly CompiledRule[]; text: TextConditions }): CandidateIndexSnapshot {
  return rulesMatcherFor(compiled).indexSnapshot();
}

/** The compiled matcher createRuleSet runs over these rules, with a saved index if given (for tests and the bench). */
export function rulesMatcherFor(compiled: { rules: readonly CompiledRule[]; text: TextConditions }, index?: unknown): RuleMatcher {
  return rulesMatcher(enabledRules(compiled.rules), compiled.text, index);
}

export interface RuleSetOptions {
  /** A matcherIndexOf() of the same rules: restored rather than built (ignored when it does not fit them). */
  matcherIndex?: unknown;
}

/**
 * Builds the RuleSet the pipeline runs: the compiled matcher over the enabled rules, and one json-rules-engine
 * engine over them, built the first time an evaluation asks for an explanation (a cold start does not build it).
 */
export function createRuleSet(
  rules: readonly CompiledRule[],
  config: FoghornConfig,
  text: TextConditions,
  options: RuleSetOptions = {},
): RuleSet {
  const enabled = enabledRules(rules);
  const byId = new Map(enabled.map((rule) => [rule.id, rule]));
  let engine: Promise<Engine> | undefined;
  const explainingEngine = (): Promise<Engine> => {
    engine ??= ruleLessEngine(text).then((built) => {
      for (const rule of enabled) {
        built.addRule({ name: rule.id, priority: rule.priority, conditions: rule.conditions as never, event: { type: 'fire' } });
      }
      return built;
    });
    return engine;
  };
  const eventFacts = new Set<string>();
  for (const rule of enabled) for (const fact of rule.facts) if (!(fact in COMPUTED_FACTS)) eventFacts.add(fact);
  // The compiled matcher (functions/matcher) decides which rules hold, agreeing with the engine above: it evaluates a
  // fraction of it, and runs the rules it cannot compile on its own engine. The engine above runs only to explain.
  const matcher = rulesMatcher(enabled, text, options.matcherIndex);
  const eventFactList = [...eventFacts];
  const localTime = localTimeCalculator(config);
  const defaultLang = config.language.default;
  const replyCap = config.limits.repliesPerAuthorPerDay;
  // Priors for posts too short to tell their language: the authors' recent languages (learnt by this
  // rule set, in memory) and the channels' configured ones.
  // With `language.expected`, text too short to tell is read among the team's languages (its own detector).
  const expected = config.language.expected;
  const languages = {
    authors: new AuthorLanguages(),
    channels: config.language.channels,
    ...(expected === undefined ? {} : { detect: createTextLanguageDetector({ expected }) }),
  };

  return {
    ruleIds: enabled.map((rule) => rule.id),
    async evaluate(event: CanonicalEvent, context: EvaluationContext): Promise<Decision> {
      const scope = new EventScope(event, context.now, localTime, context.crisisMode === true, languages);
      const facts: Record<string, unknown> = { [SCOPE_FACT]: scope };
      for (const name of eventFactList) facts[name] = fieldValue(event, name);
      const { results, failureResults } = context.explain
        ? await (await explainingEngine()).run(facts)
        : { results: (await matcher.match(facts)).ruleIds.map((name) => ({ name }) as RuleResult), failureResults: [] as RuleResult[] };
      const held = results.map((result) => byId.get(result.name)!).sort(byPriority);
      const resultById = new Map<string, RuleResult>([...results, ...failureResults].map((result) => [result.name, result]));

      const decision: Decision = { eventId: event.id, rules: [], actions: [] };
      const outcomes = new Map<string, { outcome: RuleExplanation['outcome']; reason?: string; code?: HoldCode }>();
      let stopPriority: number | undefined;
      const guard =
        event.author.isSelf === true
          ? 'the author is one of our own accounts'
          : event.sentByFoghorn === true
            ? 'Foghorn wrote this item'
            : undefined;
      const ownAccount = guard === undefined ? undefined : { text: guard, code: 'ownAccount' as const };
      const author = `${event.platform}:${event.author.id}`;

      for (const rule of held) {
        if (stopPriority !== undefined && rule.priority < stopPriority) {
          outcomes.set(rule.id, { outcome: 'not-reached', reason: 'a higher-priority rule with stop held' });
          continue;
        }
        decision.rules.push(rule.id);
        if (rule.stop) stopPriority = rule.priority;
        const reason = ownAccount ?? (await limitReason(rule));
        if (reason !== undefined) {
          outcomes.set(rule.id, { outcome: 'held', reason: reason.text, code: reason.code });
          if ('escalate' in reason && reason.escalate) decision.actions.push(reason.escalate);
          continue;
        }
        if (needsLanguage(rule)) await scope.lang();
        let capped = false;
        for (const [index, action] of rule.actions.entries()) {
          const rendered = fitRendered(renderAction(action, scope, defaultLang), rule.overflow, event, config);
          if (rendered.type === 'reply' && !(await context.state.tryAcquire(`author:${author}:replies`, replyCap, DAY_MS, context.now))) {
            capped = true;
            continue;
          }
          decision.actions.push({ type: rendered.type, ruleId: rule.id, index, params: rendered.params });
        }
        for (const [index, action] of (rule.onQuiet ?? []).entries()) {
          const rendered = fitRendered(renderAction(action, scope, defaultLang), rule.overflow, event, config);
          (decision.onQuiet ??= []).push({ type: rendered.type, ruleId: rule.id, index, params: rendered.params });
        }
        outcomes.set(
          rule.id,
          capped
            ? {
                outcome: 'fired',
                reason: `reply dropped: ${replyCap} automatic replies to this author in 24h`,
                code: 'repliesPerAuthorPerDay',
              }
            : { outcome: 'fired' },
        );
      }

      if (context.explain) {
        decision.language = await scope.explainLanguage();
        decision.explanation = [...byId.values()].map((rule) => {
          const result = resultById.get(rule.id);
          const outcome = outcomes.get(rule.id) ?? { outcome: 'no-match' as const };
          return {
            rule: rule.id,
            ...outcome,
            ...(result
              ? {
                  conditions: {
                    ...explainCondition(result.conditions as unknown as Record<string, unknown>, text),
                    result: result.result === true,
                  },
                }
              : {}),
          };
        });
      }
      return decision;

      /** Why the rule may not act now (and the breaker's escalation when it just tripped), or undefined. */
      async function limitReason(rule: CompiledRule): Promise<{ text: string; code: HoldCode; escalate?: PlannedAction } | undefined> {
        const { limits } = rule;
        // A volume rule's matching events are counted, not firings: its spike acts once per episode, so the
        // per-minute ceiling must not trip on the flood the rule exists to notice.
        const perMinute = rule.spec.volume === undefined ? limits.perMinute : undefined;
        const breakerKey = `rule:${rule.id}:breaker`;
        if (
          perMinute !== undefined &&
          context.state.peek &&
          (await context.state.peek(breakerKey, 1, limits.breakerCooldownMs, context.now)) > 0
        ) {
          return { text: 'circuit breaker open: the rule exceeded its per-minute ceiling', code: 'perMinute' };
        }
        if (limits.oncePerThread) {
          const thread = event.thread.id ?? event.thread.replyToId ?? event.id;
          if (!(await context.state.tryAcquire(`rule:${rule.id}:thread:${event.platform}:${thread}`, 1, THREAD_MEMORY_MS, context.now))) {
            return { text: 'already acted in this thread (oncePerThread)', code: 'oncePerThread' };
          }
        }
        if (limits.perAuthor) {
          const { count, windowMs } = limits.perAuthor;
          if (!(await context.state.tryAcquire(`rule:${rule.id}:author:${author}`, count, windowMs, context.now))) {
            return { text: `perAuthor limit: this author already had ${count} in ${formatDuration(windowMs)}`, code: 'perAuthor' };
          }
        }
        if (perMinute !== undefined && !(await context.state.tryAcquire(`rule:${rule.id}:minute`, perMinute, 60_000, context.now))) {
          const tripped = await context.state.tryAcquire(breakerKey, 1, limits.breakerCooldownMs, context.now);
          const text = `circuit breaker: more than ${perMinute} firings in a minute`;
          if (!tripped || limits.breakerTarget === undefined) return { text, code: 'perMinute' };
          return {
            text,
            code: 'perMinute',
            escalate: {
              type: 'escalate',
              ruleId: rule.id,
              index: rule.actions.length,
              params: {
                target: limits.breakerTarget,
                severity: 'high',
                breaker: true,
                summary: `Rule ${rule.id} fired more than ${perMinute} times in a minute; its actions are paused for ${formatDuration(limits.breakerCooldownMs)}.`,
              },
            },
          };
        }
        return undefined;
      }
    },
  };
}

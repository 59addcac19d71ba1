import type { CanonicalEvent } from '../core/event.js';
import type { Decision, EvaluationContext, HoldCode, PlannedAction, RuleSet } from '../core/rule-set.js';
import { isOwnAnswer } from './conversation.js';
import { CRISIS_REPLY_PARAM } from './guarded-executor.js';
import type { AuditLog, CounterStore, CrisisStore, EpisodeStore, TimerStore } from './ports.js';
import type { CrisisRuleOptions } from './rule-options.js';
import { answerTimersFor, startSlaTimer } from './sla-timer.js';
import { observeSpike } from './spike.js';

export interface CrisisRuleSetDependencies {
  counters: CounterStore;
  episodes: EpisodeStore;
  timers: TimerStore;
  crisis: CrisisStore;
  audit: AuditLog;
}

/**
 * The rule set with volume, response timers and crisis mode around it:
 * - every rule sees `crisisMode` as a fact;
 * - an answer from a connected account stops the timers waiting in its conversation;
 * - a `volume` rule acts only on the event that opens a spike episode (escalations carry the incident);
 * - an `after` rule starts a timer instead of acting; the `sla.breached` event of that timer brings
 *   the rule's actions back, so they run through evaluate and act like any other.
 */
export function withCrisis(base: RuleSet, options: () => ReadonlyMap<string, CrisisRuleOptions>, deps: CrisisRuleSetDependencies): RuleSet {
  return {
    get ruleIds() {
      return base.ruleIds;
    },
    async evaluate(event: CanonicalEvent, context: EvaluationContext): Promise<Decision> {
      // A decision may see the switch a few seconds late (the guard in act reads it as it is).
      const crisis = await (deps.crisis.getRecent ? deps.crisis.getRecent() : deps.crisis.get());
      const decision = await base.evaluate(event, Object.assign({}, context, { crisisMode: crisis.on }));
      if (isOwnAnswer(event)) await answerTimersFor(deps.timers, event, answeredAt(event.createdAt, context.now));

      const byRule = new Map<string, PlannedAction[]>();
      for (const action of decision.actions) {
        const group = byRule.get(action.ruleId) ?? [];
        group.push(action);
        byRule.set(action.ruleId, group);
      }
      const actions: PlannedAction[] = [];
      const reasons: Array<{ rule: string; reason: string; code: HoldCode; dueAt?: string }> = [];
      const ruleOptions = options();
      // A volume rule counts every event its conditions held for, even one a limit kept from acting (never our own posts).
      if (!isOwnAnswer(event))
        for (const ruleId of decision.rules) if (ruleOptions.get(ruleId)?.volume && !byRule.has(ruleId)) byRule.set(ruleId, []);
      for (const [ruleId, group] of byRule) {
        const rule = ruleOptions.get(ruleId);
        let planned = rule?.crisisReply ? group.map(markCrisisReply) : group;
        // A tripped circuit breaker's escalation is about the rule itself: it never waits for volume or a timer.
        const breaker = planned.filter((action) => action.params.breaker === true);
        planned = planned.filter((action) => action.params.breaker !== true);
        actions.push(...breaker);
        if (planned.length === 0 && !rule?.volume) continue;
        if (rule?.volume) {
          const onQuiet = (decision.onQuiet ?? []).filter((action) => action.ruleId === ruleId);
          const seen = await observeSpike(ruleId, rule.volume, event, planned, context.now, deps, onQuiet);
          if (!seen.fire) {
            reasons.push({ rule: ruleId, reason: seen.reason, code: 'volume' });
            continue;
          }
          // The digest: the count over the window, the baseline, and the latest matching events.
          const digest = {
            incident: seen.episode.incident,
            count: seen.count,
            windowMinutes: seen.windowMinutes,
            samples: seen.samples,
            ...(seen.baseline === undefined ? {} : { baseline: Math.round(seen.baseline * 10) / 10 }),
          };
          planned = planned.map((action) => (action.type === 'escalate' ? withParams(action, digest) : action));
          await deps.audit.record({
            id: `spike:${seen.episode.incident}:opened`,
            at: context.now.toISOString(),
            kind: 'spike',
            what: 'spike.opened',
            why: `${seen.count} matching events in the window`,
            eventId: event.id,
            ruleId,
            detail: { incident: seen.episode.incident },
          });
        } else if (rule?.after && event.kind !== 'sla.breached') {
          const timer = await startSlaTimer(
            deps.timers,
            { ruleId, after: rule.after.text, afterMs: rule.after.ms, event, actions: planned },
            context.now,
          );
          reasons.push({
            rule: ruleId,
            reason: `waiting for an answer until ${timer.dueAt} (timer ${timer.id})`,
            code: 'after',
            dueAt: timer.dueAt,
          });
          continue;
        }
        actions.push(...planned);
      }
      const breached = await breachedActions(event, actions);
      actions.push(...breached);
      const rules = [
        ...decision.rules,
        ...new Set(breached.map((action) => action.ruleId).filter((rule) => !decision.rules.includes(rule))),
      ];
      // onQuiet actions live on the episode that opened (if any); they are never run for this event.
      const { onQuiet: _deferred, ...rest } = decision;
      const result: Decision = { ...rest, rules, actions };
      if (decision.explanation && reasons.length > 0) {
        result.explanation = decision.explanation.map((entry) => {
          const reason = reasons.find((candidate) => candidate.rule === entry.rule);
          if (!reason || entry.outcome !== 'fired') return entry;
          return { ...entry, outcome: 'held', reason: reason.reason, code: reason.code, ...(reason.dueAt ? { dueAt: reason.dueAt } : {}) };
        });
      }
      return result;
    },
  };

  /** The deferred actions of the rule whose timer produced this breach event. */
  async function breachedActions(event: CanonicalEvent, already: readonly PlannedAction[]): Promise<PlannedAction[]> {
    if (event.kind !== 'sla.breached') return [];
    const sla = event.meta?.sla as { timer?: unknown } | undefined;
    if (typeof sla?.timer !== 'string') return [];
    const timer = await deps.timers.get(sla.timer);
    if (!timer || timer.status === 'answered') return [];
    return timer.actions
      .filter((action) => !already.some((other) => other.ruleId === action.ruleId && other.index === action.index))
      .map((action) => (action.type === 'escalate' ? withParams(action, { incident: `sla:${timer.id}` }) : action));
  }
}

function markCrisisReply(action: PlannedAction): PlannedAction {
  return action.type === 'reply' || action.type === 'post' ? withParams(action, { [CRISIS_REPLY_PARAM]: true }) : action;
}

function withParams(action: PlannedAction, params: Record<string, unknown>): PlannedAction {
  return { ...action, params: { ...action.params, ...params } };
}

/** When the answer was written (never later than now). */
function answeredAt(iso: string, now: Date): Date {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? now : new Date(Math.min(at, now.getTime()));
}

import type { CanonicalEvent } from '../core/event.js';
import type { PlannedAction } from '../core/rule-set.js';
import { waitingConversations } from '../crisis/conversation.js';
import type { SlaTimer, TimerStore } from '../crisis/ports.js';
import { slaTimerId } from '../crisis/sla-timer.js';
import { describe } from './assignments.js';
import type { AssignmentConfig } from './config.js';
import { escalationTargetOf } from './escalation-target.js';
import type { ConversationOwner } from './ports.js';

/**
 * The response timer of `assign`'s `unanswered` (a crisis/sla-timer.ts timer: an answer in the conversation stops it,
 * the sweep fires it) holding one escalation that names the owner, the team and how long. A reassignment restarts it:
 * a new timer for the new owner, counted from the reassignment and escalating to their team's lead, takes over from the
 * old one, which is settled first-come as answered so neither its sweep nor a breach already on its way acts on it.
 */

/** `assign: { unanswered: { after, escalate } }` as the rule compiler reads it. */
export interface Unanswered {
  after: string;
  afterMs: number;
  /** `lead` (the owner's team lead's notify target) or a target name. */
  escalate: string;
}

/** The unanswered timers' rule id: the rule's own id and this, apart from any `after` timer of the same rule. */
const TIMER_SUFFIX = '#assign';

/** The deferred escalation's place: after any `then:` list, so its command id is never one of the rule's own actions. */
export const UNANSWERED_INDEX = 10_000;

const EXCERPT_CHARS = 200;

/** A timer that cannot name the new owner's lead keeps the target it had: someone still hears. */
export interface RestartedTimer {
  timer: SlaTimer;
  /** Why the escalation still goes to the previous target (the new owner has no lead to tell). */
  problem?: string;
}

/** The timer of an assignment by rule `ruleId` (its action `index`), due `afterMs` after the message was written. */
export async function startUnansweredTimer(
  timers: Pick<TimerStore, 'put'>,
  input: {
    ruleId: string;
    index: number;
    event: CanonicalEvent;
    owner: Pick<ConversationOwner, 'person' | 'team'>;
    unanswered: Unanswered;
    target: string;
    config: AssignmentConfig;
  },
  now: Date,
): Promise<SlaTimer> {
  const written = Date.parse(input.event.createdAt);
  const timer = timerOf({
    id: slaTimerId(input.event.id, `${input.ruleId}${TIMER_SUFFIX}`),
    event: input.event,
    dueAt: new Date((Number.isNaN(written) ? now.getTime() : written) + input.unanswered.afterMs),
    action: escalation(input.ruleId, input.index, input.owner, input.unanswered, input.target, input.config, input.event),
    now,
  });
  await timers.put(timer, now);
  return timer;
}

/**
 * After a person's reassignment (`change`): every unanswered timer still pending in the conversation is replaced by
 * one for `owner`, due `after` from now. The replacement is stored before the old one is stopped, and its id comes
 * from the change, so a retried reassignment (or one that stopped half way) ends with exactly one timer per message.
 */
export async function restartUnansweredTimers(
  timers: Pick<TimerStore, 'pendingInConversation' | 'put' | 'settle'>,
  input: { conversation: string; owner: Pick<ConversationOwner, 'person' | 'team'>; change: string; config: AssignmentConfig },
  now: Date,
): Promise<RestartedTimer[]> {
  const restarted: RestartedTimer[] = [];
  for (const old of await timers.pendingInConversation(input.conversation)) {
    const action = old.actions[0];
    if (!old.ruleId.endsWith(TIMER_SUFFIX) || !action || action.type !== 'escalate' || action.index < UNANSWERED_INDEX) continue;
    const id = slaTimerId(old.eventId, `${old.ruleId}@${input.change}`);
    if (old.id === id) continue;
    const unanswered = unansweredOf(action.params.unanswered) ?? legacyUnanswered(old, action);
    if (!unanswered) continue;
    const found = escalationTargetOf(unanswered.escalate, input.owner, input.config);
    const target = 'problem' in found ? String(action.params.target) : found.target;
    const timer = timerOf({
      id,
      event: old.event,
      dueAt: new Date(now.getTime() + unanswered.afterMs),
      action: escalation(action.ruleId, action.index, input.owner, unanswered, target, input.config, old.event),
      now,
    });
    await timers.put(timer, now);
    await timers.settle(old.id, 'answered', now);
    restarted.push({ timer, ...('problem' in found ? { problem: found.problem } : {}) });
  }
  return restarted;
}

/** `unanswered` as the executor stored it with the escalation; undefined when absent or malformed. */
export function unansweredOf(value: unknown): Unanswered | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { after, afterMs, escalate } = value as Record<string, unknown>;
  if (typeof after !== 'string' || typeof afterMs !== 'number' || typeof escalate !== 'string') return undefined;
  return { after, afterMs, escalate };
}

/** A timer stored before the escalation kept its `unanswered`: the same duration, to the same target. */
function legacyUnanswered(timer: SlaTimer, action: PlannedAction): Unanswered | undefined {
  const afterMs = Date.parse(timer.dueAt) - Date.parse(timer.event.createdAt);
  if (typeof action.params.target !== 'string' || !Number.isFinite(afterMs) || afterMs <= 0) return undefined;
  return { after: timer.after, afterMs, escalate: action.params.target };
}

function escalation(
  ruleId: string,
  index: number,
  owner: Pick<ConversationOwner, 'person' | 'team'>,
  unanswered: Unanswered,
  target: string,
  config: AssignmentConfig,
  event: CanonicalEvent,
): PlannedAction {
  const who = describe(owner, config.people);
  return {
    type: 'escalate',
    ruleId,
    index,
    params: {
      target,
      severity: 'high',
      summary: `${who} has not answered for ${unanswered.after}${owner.team ? ` (team ${owner.team})` : ''}: ${excerpt(event.text)}`,
      owner: {
        ...(owner.person ? { person: owner.person } : {}),
        ...(owner.team ? { team: owner.team } : {}),
      },
      // What a reassignment needs to start the timer again for someone else.
      unanswered,
    },
  };
}

function timerOf(input: { id: string; event: CanonicalEvent; dueAt: Date; action: PlannedAction; now: Date }): SlaTimer {
  return {
    id: input.id,
    ruleId: `${input.action.ruleId}${TIMER_SUFFIX}`,
    eventId: input.event.id,
    conversations: waitingConversations(input.event),
    after: (input.action.params.unanswered as Unanswered).after,
    dueAt: input.dueAt.toISOString(),
    status: 'pending',
    event: input.event,
    actions: [input.action],
    createdAt: input.now.toISOString(),
  };
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `"${flat.slice(0, EXCERPT_CHARS - 1)}…"` : `"${flat}"`;
}

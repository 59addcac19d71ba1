import { createHash } from 'node:crypto';
import type { CanonicalEvent } from '../core/event.js';
import { EMBEDDED_EVENT_MAX_BYTES, EventNotStoredError, excerptOf, wholeEvent } from '../core/event-excerpt.js';
import type { EventStore } from '../core/ports.js';
import type { PlannedAction } from '../core/rule-set.js';
import { answeredConversations, waitingConversations } from './conversation.js';
import { epochMinute, minutesBetween } from './minutes.js';
import type { AuditLog, SlaTimer, TimerStore } from './ports.js';

/** The first sweep ever reads this far back (timers are filed no earlier than the minute they were set). */
const FIRST_SWEEP_LOOKBACK_MINUTES = 60;
/** After a long stop the sweep catches up at most this far (one read per minute missed). */
const CATCH_UP_LIMIT_MINUTES = 24 * 60;
/** Minutes every sweep reads again (GSI reads are eventually consistent). */
const RE_READ_MINUTES = 2;
/**
 * Due timers fired at once: each is three writes in sequence (breach event, settle, audit), so a storm's
 * 100,000 timers due in one minute take minutes at this width, not the hours one at a time would.
 */
export const SWEEP_PARALLELISM = 32;

export function slaTimerId(eventId: string, ruleId: string): string {
  return `sla_${createHash('sha256')
    .update(JSON.stringify([eventId, ruleId]))
    .digest('base64url')
    .slice(0, 32)}`;
}

/**
 * Starts the response timer of rule `ruleId` for a message: due `afterMs` after the message was written.
 * The rule's actions wait in the timer. Starting the same timer twice keeps the first. A large message is kept
 * as its excerpt (event-excerpt.ts), read whole again only if the timer fires.
 */
export async function startSlaTimer(
  timers: TimerStore,
  input: { ruleId: string; after: string; afterMs: number; event: CanonicalEvent; actions: readonly PlannedAction[] },
  now: Date,
): Promise<SlaTimer> {
  const written = Date.parse(input.event.createdAt);
  const timer: SlaTimer = {
    id: slaTimerId(input.event.id, input.ruleId),
    ruleId: input.ruleId,
    eventId: input.event.id,
    conversations: waitingConversations(input.event),
    after: input.after,
    dueAt: new Date((Number.isNaN(written) ? now.getTime() : written) + input.afterMs).toISOString(),
    status: 'pending',
    event: excerptOf(input.event, EMBEDDED_EVENT_MAX_BYTES),
    actions: [...input.actions],
    createdAt: now.toISOString(),
  };
  await timers.put(timer, now);
  return timer;
}

/**
 * An answer from a connected account stops every timer waiting in its conversations for a message
 * written no later than the answer. Returns the timers it stopped.
 */
export async function answerTimers(timers: TimerStore, conversations: readonly string[], answeredAt: Date): Promise<SlaTimer[]> {
  const stopped: SlaTimer[] = [];
  const seen = new Set<string>();
  for (const conversation of conversations) {
    for (const timer of await timers.pendingInConversation(conversation)) {
      if (seen.has(timer.id)) continue;
      seen.add(timer.id);
      if (Date.parse(timer.event.createdAt) > answeredAt.getTime()) continue;
      if (await timers.settle(timer.id, 'answered', answeredAt)) stopped.push(timer);
    }
  }
  return stopped;
}

/** Stops the timers an event answers. */
export function answerTimersFor(timers: TimerStore, answer: CanonicalEvent, answeredAt: Date): Promise<SlaTimer[]> {
  return answerTimers(timers, answeredConversations(answer), answeredAt);
}

/** The canonical event a fired timer produces; rules evaluate it like any other (`kind: sla.breached`). */
export function breachEvent(timer: SlaTimer, now: Date): CanonicalEvent {
  const { event } = timer;
  const waitedMinutes = Math.floor((now.getTime() - Date.parse(event.createdAt)) / 60_000);
  return {
    id: `${event.platform}:sla-breached:${timer.id}`,
    platform: event.platform,
    kind: 'sla.breached',
    text: event.text,
    ...(event.lang ? { lang: event.lang } : {}),
    author: event.author,
    channel: event.channel,
    thread: event.thread,
    createdAt: timer.dueAt,
    receivedAt: now.toISOString(),
    ...(event.url ? { url: event.url } : {}),
    meta: {
      ...event.meta,
      sla: { timer: timer.id, rule: timer.ruleId, after: timer.after, eventId: event.id, dueAt: timer.dueAt, waitedMinutes },
    },
  };
}

export interface SweepDependencies {
  timers: TimerStore;
  /** Stores and publishes the breach event (idempotent on its id, like ingest). */
  emit(event: CanonicalEvent): Promise<void>;
  audit: AuditLog;
  /**
   * Milliseconds this run may still start work in (the Lambda's remaining time less a margin); without it, no
   * limit. Past it no further timer is fired, and the next run starts from the first one left.
   */
  timeLeftMs?: () => number;
  /** Where a timer that keeps its message's excerpt reads the message whole for the breach event. */
  events?: Pick<EventStore, 'get'>;
}

export interface SlaSweep {
  fired: SlaTimer[];
  /** The time budget ran out before every due timer was fired: the next run goes on from there. */
  outOfTime: boolean;
}

/**
 * The one-minute sweep: reads only the minutes since the last sweep (a time-indexed key, so the cost
 * follows the number of due timers, not idle time), emits a breach event for each timer still
 * unanswered at its due time, then marks it fired, a minute's timers at a time (so memory holds one minute's),
 * up to SWEEP_PARALLELISM at once. The emit comes first: a crash in between emits the same event id again,
 * which ingest-style dedup turns into one evaluation. When the time budget runs out, the rest wait for the next
 * run, which reads again from the minute it stopped in.
 */
export async function sweepSlaTimers(deps: SweepDependencies, now: Date): Promise<SlaSweep> {
  const nowMinute = epochMinute(now);
  const last = await deps.timers.sweptThrough();
  const from = last === undefined ? nowMinute - FIRST_SWEEP_LOOKBACK_MINUTES : Math.max(last + 1, nowMinute - CATCH_UP_LIMIT_MINUTES);
  const outOfTime = () => deps.timeLeftMs !== undefined && deps.timeLeftMs() <= 0;
  const fired: SlaTimer[] = [];
  let stoppedIn: number | undefined;
  for (const minute of minutesBetween(from, nowMinute)) {
    if (outOfTime()) {
      stoppedIn = minute;
      break;
    }
    const due = (await deps.timers.pendingInMinutes([minute])).filter((timer) => Date.parse(timer.dueAt) <= now.getTime());
    let next = 0;
    const worker = async () => {
      while (next < due.length && !outOfTime()) {
        const timer = due[next++] as SlaTimer;
        if (await fireTimer(deps, timer, now)) fired.push(timer);
      }
    };
    await Promise.all(Array.from({ length: Math.min(SWEEP_PARALLELISM, due.length) }, worker));
    if (next < due.length) {
      stoppedIn = minute;
      break;
    }
  }
  // The last two minutes are read again next time: a timer filed into them after this sweep (or that a
  // lagging index showed late) is still found. Fired and answered timers have left the index.
  const through = nowMinute - RE_READ_MINUTES;
  await deps.timers.setSweptThrough(stoppedIn === undefined ? through : Math.min(through, stoppedIn - 1));
  return { fired, outOfTime: stoppedIn !== undefined };
}

/** Emits the timer's breach event, then settles it; true when this sweep fired it (not a concurrent one). */
async function fireTimer(deps: SweepDependencies, timer: SlaTimer, now: Date): Promise<boolean> {
  const event = breachEvent({ ...timer, event: await watchedEvent(deps, timer) }, now);
  await deps.emit(event);
  if (!(await deps.timers.settle(timer.id, 'fired', now))) return false;
  await deps.audit.record({
    id: `sla:${timer.id}:fired`,
    at: now.toISOString(),
    kind: 'sla',
    what: 'sla.breached',
    why: `no answer ${timer.after} after the message`,
    eventId: timer.eventId,
    ruleId: timer.ruleId,
    detail: { breachEventId: event.id, dueAt: timer.dueAt },
  });
  return true;
}

/** The message a timer watches, whole; its excerpt when the message has left the store (the breach still fires). */
async function watchedEvent(deps: SweepDependencies, timer: SlaTimer): Promise<CanonicalEvent> {
  try {
    return await wholeEvent(timer.event, deps.events);
  } catch (error) {
    if (error instanceof EventNotStoredError) return timer.event;
    throw error;
  }
}

/** The minute a timer is filed under: its due minute, or now's when it is already due. */
export function filingMinute(timer: Pick<SlaTimer, 'dueAt'>, now: Date): number {
  return Math.max(epochMinute(new Date(timer.dueAt)), epochMinute(now));
}

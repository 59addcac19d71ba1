import type { ActionCommand } from './action-command.js';
import { AmbiguousActionError, PermanentActionError, TransientActionError } from './errors.js';
import { EventNotStoredError, wholeEvent } from './event-excerpt.js';
import type { ActionRecord, ActionStore, Clock, CompletionEffects, EventStore } from './ports.js';

/**
 * What an executor reports for a command it carried out; `effects` are written with the completion
 * (one write) instead of by the executor.
 */
export type ExecutionResult = Pick<ActionRecord, 'status' | 'mode' | 'request' | 'externalId'> & { effects?: CompletionEffects };

/**
 * Carries out one type of action (`reply`, `tag`, …). Throws Transient/PermanentActionError on failure, and
 * AmbiguousActionError when the call may have reached the platform without an answer.
 */
export type ActionExecutor = (command: ActionCommand) => Promise<ExecutionResult>;

/**
 * What a command whose outcome is unknown becomes: `retry` when sending again cannot post twice (the platform
 * deduplicates, nothing had left the machine, or its read API has no such message), `found` when the platform
 * has it, `unknown` when nobody can tell. `note` says why, for the action record.
 */
export type Settlement =
  | { settled: 'retry'; note: string }
  | { settled: 'found'; externalId?: string; note: string }
  | { settled: 'unknown'; note: string };

/** The outcome model of the platforms (docs/delivery.md), for a call that may have reached one. */
export interface AmbiguousOutcomes {
  settle(command: ActionCommand): Promise<Settlement>;
  /** Files an action whose outcome is unknown for a person to confirm (it was sent) or resend. */
  hold(command: ActionCommand, reason: string): Promise<void>;
}

export interface ActDependencies {
  actions: ActionStore;
  executors: Readonly<Record<string, ActionExecutor>>;
  clock: Clock;
  /** How long a claim protects a command from a second worker; longer than any executor call. */
  leaseMs: number;
  /** Without it, an ambiguous outcome is never retried: the action becomes `unknown`. */
  ambiguous?: AmbiguousOutcomes;
  /** Where the event of a command that carries an excerpt (event-excerpt.ts) is read whole. */
  events?: Pick<EventStore, 'get'>;
}

/** About this delivery of the command: the queue's count, and whether it will deliver the command again. */
export interface Delivery {
  count: number;
  /** The queue's last delivery (its maxReceiveCount): a failure now is final, recorded and dead-lettered by act. */
  last: boolean;
}

export type ActOutcome =
  | { status: 'done'; record: ExecutionResult & Pick<ActionRecord, 'error'> }
  | { status: 'skipped' }
  | { status: 'retry'; reason: string; retryAfterMs?: number }
  | { status: 'dead'; reason: string };

/** Why a takeover is ambiguous: the worker that claimed the command may have sent it before it stopped. */
const TAKEOVER_REASON = 'a previous attempt never finished (its worker stopped after claiming it and may have sent it)';

/**
 * Executes a command at most once as far as the outside world can tell: claimed before the call,
 * completed after it (with what the executor changed besides: tags, its audit line), two writes in all;
 * a redelivered command that already ran is skipped. A call that may have reached the
 * platform, or a takeover of a claim whose worker died, is settled by the platform's outcome model, never
 * blindly sent again: retried with the same deduplication key, found through the read API, or `unknown`.
 * A command that carries its event's excerpt has the event read whole before its claim (so a failed read leaves
 * nothing claimed); the approval queue files it with the excerpt again (crisis/approvals.ts).
 */
export async function actOn(carried: ActionCommand, deps: ActDependencies, delivery?: Delivery): Promise<ActOutcome> {
  let command: ActionCommand;
  try {
    const event = await wholeEvent(carried.event, deps.events);
    command = event === carried.event ? carried : { ...carried, event };
  } catch (error) {
    if (error instanceof EventNotStoredError) return { status: 'dead', reason: error.message };
    throw error;
  }
  const claim = await deps.actions.claim(command, deps.leaseMs, deps.clock.now());
  if (claim === 'completed') return { status: 'skipped' };
  if (claim === 'busy') {
    // The holder is alive and will complete or release it; the record stays theirs.
    if (delivery?.last)
      return { status: 'dead', reason: `another worker held this command on the queue's last delivery (${delivery.count})` };
    // The other worker is most likely about to finish: come back after a short backoff, not a whole lease.
    return { status: 'retry', reason: 'another worker holds this command' };
  }

  const executor = deps.executors[command.type];
  if (!executor) {
    const reason = `no executor for action type '${command.type}' (known: ${Object.keys(deps.executors).join(', ')})`;
    await deps.actions.complete(command.id, { status: 'failed', error: reason }, deps.clock.now());
    return { status: 'dead', reason };
  }
  if (claim === 'reclaimed') {
    const settlement = await settle(command, deps);
    if (settlement.settled !== 'retry') return finish(command, settlement, TAKEOVER_REASON, undefined, deps);
  }
  try {
    const { effects, ...record } = await executor(command);
    await deps.actions.complete(command.id, record, deps.clock.now(), effects);
    return { status: 'done', record };
  } catch (error) {
    if (error instanceof PermanentActionError) {
      await deps.actions.complete(command.id, { status: 'failed', error: error.message }, deps.clock.now());
      return { status: 'dead', reason: error.message };
    }
    let reason = error instanceof Error ? error.message : String(error);
    if (error instanceof AmbiguousActionError) {
      const settlement = await settle(command, deps);
      if (settlement.settled !== 'retry') return finish(command, settlement, reason, error.request, deps);
      reason = `${reason}; ${settlement.note}`;
    }
    if (delivery?.last) {
      const final = `gave up after ${delivery.count} deliveries: ${reason}`;
      await deps.actions.complete(command.id, { status: 'failed', error: final }, deps.clock.now());
      return { status: 'dead', reason: final };
    }
    await deps.actions.release(command.id, reason, deps.clock.now());
    return { status: 'retry', reason, retryAfterMs: error instanceof TransientActionError ? error.retryAfterMs : undefined };
  }
}

async function settle(command: ActionCommand, deps: ActDependencies): Promise<Settlement> {
  if (!deps.ambiguous) return { settled: 'unknown', note: 'no outcome model to check it against' };
  try {
    return await deps.ambiguous.settle(command);
  } catch (error) {
    return { settled: 'unknown', note: `could not be checked: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** A settled ambiguous command: succeeded with what the platform has, or `unknown` and filed for a person (filed first, so a crash in between files it again). */
async function finish(
  command: ActionCommand,
  settlement: Exclude<Settlement, { settled: 'retry' }>,
  reason: string,
  request: ExecutionResult['request'],
  deps: ActDependencies,
): Promise<ActOutcome> {
  const base = { mode: 'live' as const, ...(request ? { request } : {}) };
  if (settlement.settled === 'found') {
    const record = { status: 'succeeded' as const, ...base, ...(settlement.externalId ? { externalId: settlement.externalId } : {}) };
    await deps.actions.complete(command.id, record, deps.clock.now());
    return { status: 'done', record };
  }
  const why = `${reason}; ${settlement.note}`;
  await deps.ambiguous?.hold(command, why);
  const record = { status: 'unknown' as const, ...base, error: why };
  await deps.actions.complete(command.id, record, deps.clock.now());
  return { status: 'done', record };
}

/** Exponential backoff with full jitter for the n-th attempt (1-based), capped at 15 minutes. */
export function backoffMs(attempt: number, random = Math.random): number {
  const ceiling = Math.min(15 * 60_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

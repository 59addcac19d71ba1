import type { ActionCommand } from './action-command.js';
import { PermanentActionError, TransientActionError } from './errors.js';
import type { ActionRecord, ActionStore, Clock } from './ports.js';

/** What an executor reports for a command it carried out. */
export type ExecutionResult = Pick<ActionRecord, 'status' | 'mode' | 'request' | 'externalId'>;

/** Carries out one type of action (`reply`, `tag`, …). Throws Transient/PermanentActionError on failure. */
export type ActionExecutor = (command: ActionCommand) => Promise<ExecutionResult>;

export interface ActDependencies {
  actions: ActionStore;
  executors: Readonly<Record<string, ActionExecutor>>;
  clock: Clock;
  /** How long a claim protects a command from a second worker; longer than any executor call. */
  leaseMs: number;
}

export type ActOutcome =
  | { status: 'done'; record: ExecutionResult }
  | { status: 'skipped' }
  | { status: 'retry'; reason: string; retryAfterMs?: number }
  | { status: 'dead'; reason: string };

/**
 * Executes a command at most once as far as the outside world can tell: claimed before the call,
 * completed after it; a redelivered command that already ran is skipped.
 */
export async function actOn(command: ActionCommand, deps: ActDependencies): Promise<ActOutcome> {
  const claim = await deps.actions.claim(command, deps.leaseMs, deps.clock.now());
  if (claim === 'completed') return { status: 'skipped' };
  // The other worker is most likely about to finish: come back after a short backoff, not a whole lease.
  if (claim === 'busy') return { status: 'retry', reason: 'another worker holds this command' };

  const executor = deps.executors[command.type];
  if (!executor) {
    const reason = `no executor for action type '${command.type}' (known: ${Object.keys(deps.executors).join(', ')})`;
    await deps.actions.complete(command.id, { status: 'failed', error: reason }, deps.clock.now());
    return { status: 'dead', reason };
  }
  try {
    const record = await executor(command);
    await deps.actions.complete(command.id, record, deps.clock.now());
    return { status: 'done', record };
  } catch (error) {
    if (error instanceof PermanentActionError) {
      await deps.actions.complete(command.id, { status: 'failed', error: error.message }, deps.clock.now());
      return { status: 'dead', reason: error.message };
    }
    const reason = error instanceof Error ? error.message : String(error);
    await deps.actions.release(command.id, reason, deps.clock.now());
    return { status: 'retry', reason, retryAfterMs: error instanceof TransientActionError ? error.retryAfterMs : undefined };
  }
}

/** Exponential backoff with full jitter for the n-th attempt (1-based), capped at 15 minutes. */
export function backoffMs(attempt: number, random = Math.random): number {
  const ceiling = Math.min(15 * 60_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

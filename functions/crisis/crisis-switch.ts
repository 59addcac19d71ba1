import { FoghornError } from '../core/errors.js';
import type { AuditLog, CrisisState, CrisisStore } from './ports.js';

export interface CrisisChange {
  on: boolean;
  /** A person (`alice@example.com`) or `rule:<id>`. */
  who: string;
  why: string;
  /** The event and rule that switched it, when a rule did. */
  eventId?: string;
  ruleId?: string;
}

/** Two people switched at once and this one lost: the caller reads the state again. */
export class CrisisConflictError extends FoghornError {
  constructor() {
    super('crisis mode changed while this change was being made; read it again and retry', { status: 409 });
  }
}

export class CrisisChangeInvalidError extends FoghornError {
  constructor(message: string) {
    super(message, { status: 400 });
  }
}

export interface CrisisSwitchResult {
  state: CrisisState;
  /** False when the switch already was where it was asked to be (nothing recorded as a change). */
  changed: boolean;
}

/**
 * The crisis-mode switch. It changes only when someone asks (a rule action, the CLI, the HTTP API) and
 * every change is audited with who, when and why: it never ends silently.
 */
export async function switchCrisisMode(store: CrisisStore, audit: AuditLog, change: CrisisChange, now: Date): Promise<CrisisSwitchResult> {
  if (change.who.trim() === '') throw new CrisisChangeInvalidError('crisis mode: `who` is required (a person or rule:<id>)');
  if (change.why.trim() === '') throw new CrisisChangeInvalidError('crisis mode: `why` is required');
  const current = await store.get();
  if (current.on === change.on) return { state: current, changed: false };
  const next = { on: change.on, since: now.toISOString(), by: change.who, why: change.why };
  if (!(await store.set(next, current.version))) throw new CrisisConflictError();
  const version = current.version + 1;
  await audit.record({
    id: `crisis:${version}`,
    at: next.since,
    kind: 'crisis',
    what: change.on ? 'crisis.on' : 'crisis.off',
    who: change.who,
    why: change.why,
    ...(change.eventId ? { eventId: change.eventId } : {}),
    ...(change.ruleId ? { ruleId: change.ruleId } : {}),
  });
  return { state: { ...next, version }, changed: true };
}

import type { ActionCommand } from '../core/action-command.js';
import { FoghornError } from '../core/errors.js';
import { EMBEDDED_EVENT_MAX_BYTES, excerptOf } from '../core/event-excerpt.js';
import type { Approval, ApprovalStore, AuditLog } from './ports.js';

export class ApprovalNotFoundError extends FoghornError {
  constructor(id: string) {
    super(`no approval '${id}'`, { status: 404 });
  }
}

/** The approval was already decided another way, or it expired. */
export class ApprovalStateError extends FoghornError {
  constructor(approval: Approval, wanted: string) {
    super(`approval '${approval.id}' is ${approval.status}; it cannot be ${wanted}`, {
      status: 409,
      detail: { status: approval.status, decidedBy: approval.decidedBy },
    });
  }
}

export class ApprovalInputError extends FoghornError {
  constructor(message: string) {
    super(message, { status: 400 });
  }
}

export interface ApprovalDependencies {
  approvals: ApprovalStore;
  audit: AuditLog;
  /** Puts a command on the actions queue (the same act path, claims and idempotency as every action). */
  dispatch(command: ActionCommand): Promise<void>;
  /** Pending approvals expire after this long. */
  expireAfterMs: number;
}

/** Marks a command as the approved run of a held one; the outgoing guard lets it through. */
export const APPROVAL_PARAM = 'approval';

/**
 * The command an approval sends: a derived id (so the act path's claim runs it once, however many
 * times approve is called) and the approval named in its params; with `text`, the text a person edited.
 */
export function approvedCommand(approval: Approval, text?: string): ActionCommand | undefined {
  if (!approval.command) return undefined;
  return {
    ...approval.command,
    id: `${approval.command.id}~approved`,
    params: { ...approval.command.params, ...(text !== undefined ? { text } : {}), [APPROVAL_PARAM]: approval.id },
  };
}

/** Files a held command for a human. Holding the same command again returns the first approval. */
export async function holdForApproval(
  deps: Pick<ApprovalDependencies, 'approvals' | 'audit' | 'expireAfterMs'>,
  input: {
    id: string;
    reason: string;
    heldBy: Approval['heldBy'];
    guard?: Approval['guard'];
    command?: ActionCommand;
    eventId: string;
    ruleId: string;
  },
  now: Date,
): Promise<Approval> {
  const approval = await deps.approvals.putIfAbsent({
    id: input.id,
    status: 'pending',
    reason: input.reason,
    heldBy: input.heldBy,
    ...(input.guard ? { guard: input.guard } : {}),
    // A large event's excerpt, as on the queue: act reads it whole again when the approval sends it.
    ...(input.command ? { command: { ...input.command, event: excerptOf(input.command.event, EMBEDDED_EVENT_MAX_BYTES) } } : {}),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + deps.expireAfterMs).toISOString(),
  });
  await deps.audit.record({
    id: `approval:${input.id}:held`,
    at: approval.createdAt,
    kind: 'approval',
    what: 'approval.held',
    who: input.heldBy === 'rule' ? `rule:${input.ruleId}` : 'foghorn',
    why: input.reason,
    eventId: input.eventId,
    ruleId: input.ruleId,
    commandId: input.id,
    ...(input.command ? { detail: { type: input.command.type } } : {}),
  });
  return approval;
}

async function load(deps: ApprovalDependencies, id: string, now: Date): Promise<Approval> {
  const approval = await deps.approvals.get(id);
  if (!approval) throw new ApprovalNotFoundError(id);
  if (approval.status === 'pending' && Date.parse(approval.expiresAt) <= now.getTime()) {
    await expire(deps, approval, now);
    return (await deps.approvals.get(id)) ?? approval;
  }
  return approval;
}

function requirePerson(who: string | undefined): string {
  if (typeof who !== 'string' || who.trim() === '') throw new ApprovalInputError('`who` is required: the person deciding');
  return who.trim();
}

/**
 * Approves a held action and sends it through the act path, with `text` in place of the held reply's or
 * post's text when a person edited it (audited with the text). Approving again does nothing more; only
 * an approval whose dispatch was never noted (a crash in between) is dispatched again, with the same
 * derived command id, which act runs once.
 */
export async function approve(
  deps: ApprovalDependencies,
  id: string,
  who: string,
  note: string | undefined,
  now: Date,
  text?: string,
): Promise<Approval> {
  const person = requirePerson(who);
  let approval = await load(deps, id, now);
  if (text !== undefined) {
    if (text.trim() === '') throw new ApprovalInputError('`text` must not be empty: the edited text to send');
    if (typeof approval.command?.params.text !== 'string') throw new ApprovalInputError(`approval '${id}' holds no text to edit`);
  }
  if (approval.status === 'pending') {
    const won = await deps.approvals.decide(id, 'approved', person, note, now);
    approval = (await deps.approvals.get(id)) ?? approval;
    if (won) {
      await deps.audit.record({
        id: `approval:${id}:approved`,
        at: now.toISOString(),
        kind: 'approval',
        what: 'approval.approved',
        who: person,
        ...(note ? { why: note } : {}),
        commandId: id,
        ...(approval.command ? { eventId: approval.command.eventId, ruleId: approval.command.ruleId } : {}),
        ...(text !== undefined ? { detail: { edited: true, text } } : {}),
      });
    }
  }
  if (approval.status !== 'approved') throw new ApprovalStateError(approval, 'approved');
  const command = approvedCommand(approval, text);
  if (command && approval.dispatchedAt === undefined) {
    await deps.dispatch(command);
    await deps.approvals.markDispatched(id, now);
    return { ...approval, dispatchedAt: now.toISOString() };
  }
  return approval;
}

export async function reject(
  deps: ApprovalDependencies,
  id: string,
  who: string,
  reason: string | undefined,
  now: Date,
): Promise<Approval> {
  const person = requirePerson(who);
  if (typeof reason !== 'string' || reason.trim() === '') throw new ApprovalInputError('`reason` is required to reject a held action');
  const approval = await load(deps, id, now);
  if (approval.status === 'rejected') return approval;
  if (approval.status !== 'pending' || !(await deps.approvals.decide(id, 'rejected', person, reason, now))) {
    throw new ApprovalStateError((await deps.approvals.get(id)) ?? approval, 'rejected');
  }
  await deps.audit.record({
    id: `approval:${id}:rejected`,
    at: now.toISOString(),
    kind: 'approval',
    what: 'approval.rejected',
    who: person,
    why: reason,
    commandId: id,
    ...(approval.command ? { eventId: approval.command.eventId, ruleId: approval.command.ruleId } : {}),
  });
  return (await deps.approvals.get(id)) ?? approval;
}

async function expire(deps: Pick<ApprovalDependencies, 'approvals' | 'audit'>, approval: Approval, now: Date): Promise<boolean> {
  if (!(await deps.approvals.decide(approval.id, 'expired', 'foghorn', 'not decided in time', now))) return false;
  await deps.audit.record({
    id: `approval:${approval.id}:expired`,
    at: now.toISOString(),
    kind: 'approval',
    what: 'approval.expired',
    who: 'foghorn',
    why: `not decided by ${approval.expiresAt}`,
    commandId: approval.id,
    ...(approval.command ? { eventId: approval.command.eventId, ruleId: approval.command.ruleId } : {}),
  });
  return true;
}

/** Expires pending approvals past their time (run by the sweep). Returns how many expired. */
export async function expireApprovals(deps: Pick<ApprovalDependencies, 'approvals' | 'audit'>, now: Date, limit = 1000): Promise<number> {
  let expired = 0;
  for (const approval of await deps.approvals.list('pending', limit)) {
    if (Date.parse(approval.expiresAt) <= now.getTime() && (await expire(deps, approval, now))) expired++;
  }
  return expired;
}

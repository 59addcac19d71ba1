import type { ActionExecutor } from '../core/act.js';
import type { ActionCommand } from '../core/action-command.js';
import { PermanentActionError } from '../core/errors.js';
import type { Clock } from '../core/ports.js';
import { APPROVAL_PARAM, holdForApproval } from './approvals.js';
import { waitingConversations } from './conversation.js';
import type { GuardCode, GuardVerdict } from './outgoing-guard.js';
import type { ApprovalStore, AuditLog, CrisisStore, TimerStore } from './ports.js';
import { answerTimers } from './sla-timer.js';

/** Set by the rules on the actions of a rule marked `crisisReply: true`: sent even in crisis mode. */
export const CRISIS_REPLY_PARAM = 'crisisReply';

export interface GuardedExecutorOptions {
  /** The platform executor that sends replies and posts. */
  inner: ActionExecutor;
  guard: (command: ActionCommand) => GuardVerdict;
  crisis: CrisisStore;
  approvals: ApprovalStore;
  audit: AuditLog;
  timers: TimerStore;
  expireAfterMs: number;
  clock: Clock;
}

/**
 * Every outgoing reply and post passes here: the outgoing guard and crisis mode hold it for approval
 * (the action record says `held`); an approved run goes straight out. A reply that went out answers
 * its conversation, which stops the SLA timers waiting there.
 */
export function guardedExecutor(options: GuardedExecutorOptions): ActionExecutor {
  return async (command) => {
    const approvalId = command.params[APPROVAL_PARAM];
    if (approvalId !== undefined) {
      const approval = typeof approvalId === 'string' ? await options.approvals.get(approvalId) : undefined;
      if (approval?.status !== 'approved') {
        throw new PermanentActionError(
          `command ${command.id} names approval '${String(approvalId)}', which is ${approval?.status ?? 'missing'}`,
        );
      }
    } else {
      const held = await holdReason(command);
      if (held) {
        await holdForApproval(
          options,
          {
            id: command.id,
            reason: held.reason,
            heldBy: held.by,
            ...(held.guard ? { guard: held.guard } : {}),
            command,
            eventId: command.eventId,
            ruleId: command.ruleId,
          },
          options.clock.now(),
        );
        return { status: 'held' };
      }
    }
    const result = await options.inner(command);
    if (command.type === 'reply' && result.status === 'succeeded') {
      const conversations = waitingConversations(command.event);
      // A store that learns of answers from the completion is told in that write: nothing read or written here.
      if (options.timers.answeredByCompletion)
        return { ...result, effects: { ...result.effects, answered: { conversations, at: options.clock.now().toISOString() } } };
      await answerTimers(options.timers, conversations, options.clock.now());
    }
    return result;
  };

  async function holdReason(
    command: ActionCommand,
  ): Promise<{ reason: string; by: 'guard' | 'crisis'; guard?: { code: GuardCode; detail: string } } | undefined> {
    const verdict = options.guard(command);
    if (verdict.hold) return { reason: verdict.reason, by: 'guard', guard: { code: verdict.code, detail: verdict.detail } };
    if (command.params[CRISIS_REPLY_PARAM] === true) return undefined;
    // Its claim was written only while crisis mode was off: nothing to read again.
    if (options.crisis.checkedOffAtClaim?.(command.id)) return undefined;
    const crisis = await options.crisis.get();
    return crisis.on
      ? { reason: `crisis mode is on (since ${crisis.since ?? '?'} by ${crisis.by ?? '?'}: ${crisis.why ?? ''})`, by: 'crisis' }
      : undefined;
  }
}

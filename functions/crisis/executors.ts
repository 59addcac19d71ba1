import type { ActionExecutor } from '../core/act.js';
import type { ActionCommand } from '../core/action-command.js';
import { PermanentActionError } from '../core/errors.js';
import type { Clock } from '../core/ports.js';
import { holdForApproval } from './approvals.js';
import { switchCrisisMode } from './crisis-switch.js';
import type { ApprovalStore, AuditLog, CrisisStore } from './ports.js';

/**
 * `hold`: a rule parks an action for a human. The parked reply or post (params.action) waits in the
 * approval queue; approving it sends it through the same guarded path.
 */
export function ruleHoldExecutor(options: {
  approvals: ApprovalStore;
  audit: AuditLog;
  expireAfterMs: number;
  clock: Clock;
}): ActionExecutor {
  return async (command) => {
    const { action, reason } = command.params;
    let parked: ActionCommand | undefined;
    if (action !== null && typeof action === 'object' && typeof (action as { type?: unknown }).type === 'string') {
      const { type, ...params } = action as { type: string } & Record<string, unknown>;
      parked = { ...command, type, params };
    }
    await holdForApproval(
      options,
      {
        id: command.id,
        reason: typeof reason === 'string' && reason !== '' ? reason : `held by rule ${command.ruleId}`,
        heldBy: 'rule',
        ...(parked ? { command: parked } : {}),
        eventId: command.eventId,
        ruleId: command.ruleId,
      },
      options.clock.now(),
    );
    return { status: 'held' };
  };
}

/** `crisis: on|off` from a rule: the switch, recorded with the rule and the event as its cause. */
export function crisisExecutor(options: { crisis: CrisisStore; audit: AuditLog; clock: Clock }): ActionExecutor {
  return async (command) => {
    const state = command.params.state;
    if (state !== 'on' && state !== 'off')
      throw new PermanentActionError(`crisis action needs params.state 'on' or 'off', got ${JSON.stringify(state)}`);
    const why =
      typeof command.params.why === 'string' && command.params.why !== ''
        ? command.params.why
        : `rule ${command.ruleId} matched event ${command.eventId}`;
    await switchCrisisMode(
      options.crisis,
      options.audit,
      {
        on: state === 'on',
        who: `rule:${command.ruleId}`,
        why,
        eventId: command.eventId,
        ruleId: command.ruleId,
      },
      options.clock.now(),
    );
    return { status: 'succeeded' };
  };
}

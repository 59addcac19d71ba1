import type { ActionExecutor } from '../core/act.js';
import { PermanentActionError } from '../core/errors.js';
import type { Clock } from '../core/ports.js';
import type { AuditEntry, AuditLog } from './ports.js';

/**
 * Records every action an executor carries out (or that fails for good) in the audit log, with its
 * event and rule. Escalations are their own kind so a reader can filter them. Transient failures are
 * not recorded: the retry that succeeds is. What the executor did is returned as an effect, written with
 * the action's completion (no write of its own); a failure for good is recorded here, since act's
 * completion of a failure carries no effects.
 */
export function auditedExecutor(inner: ActionExecutor, audit: AuditLog, clock: Clock): ActionExecutor {
  return async (command) => {
    const kind = command.type === 'escalate' ? ('escalation' as const) : ('action' as const);
    const base = { kind, eventId: command.eventId, ruleId: command.ruleId, commandId: command.id, who: `rule:${command.ruleId}` };
    try {
      const result = await inner(command);
      const entry: AuditEntry = {
        ...base,
        id: `action:${command.id}:${result.status}`,
        at: clock.now().toISOString(),
        what: `${command.type}.${result.status}`,
        detail: {
          ...(result.mode ? { mode: result.mode } : {}),
          ...(result.externalId ? { externalId: result.externalId } : {}),
          ...summaryOf(command.params),
        },
      };
      return { ...result, effects: { ...result.effects, audit: entry } };
    } catch (error) {
      if (error instanceof PermanentActionError) {
        await audit.record({
          ...base,
          id: `action:${command.id}:failed`,
          at: clock.now().toISOString(),
          what: `${command.type}.failed`,
          why: error.message,
        });
      }
      throw error;
    }
  };
}

function summaryOf(params: Record<string, unknown>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of ['target', 'severity', 'incident', 'resolve', 'approval', 'channel', 'state'])
    if (params[key] !== undefined) picked[key] = params[key];
  return picked;
}

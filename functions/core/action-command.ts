import { createHash } from 'node:crypto';
import type { CanonicalEvent } from './event.js';
import type { PlannedAction } from './rule-set.js';

/** One decided action, as it travels on the actions queue. */
export interface ActionCommand {
  /** Deterministic: the same event, rule and action index always give the same id (the idempotency key). */
  id: string;
  eventId: string;
  ruleId: string;
  index: number;
  /** `reply`, `post`, `tag`, `hold`, `escalate`, … */
  type: string;
  /** The action's parameters after rendering (text already chosen and filled in). */
  params: Record<string, unknown>;
  /** The event the action answers: connectors need its thread and reply-to ids. */
  event: CanonicalEvent;
  createdAt: string;
}

export function actionCommandId(eventId: string, ruleId: string, index: number): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([eventId, ruleId, index]))
    .digest('base64url');
  return `act_${digest.slice(0, 32)}`;
}

/** The command that carries out an action the rules decided for an event, decided at `now`. */
export function commandFor(event: CanonicalEvent, action: PlannedAction, now: Date): ActionCommand {
  return {
    id: actionCommandId(event.id, action.ruleId, action.index),
    eventId: event.id,
    ruleId: action.ruleId,
    index: action.index,
    type: action.type,
    params: action.params,
    event,
    createdAt: now.toISOString(),
  };
}

/** The platform a command goes to: its `platform` param (a post names one), else its event's. */
export function commandPlatform(command: Pick<ActionCommand, 'params' | 'event'>): string {
  return typeof command.params.platform === 'string' ? command.params.platform : command.event.platform;
}

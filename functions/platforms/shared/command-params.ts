import type { ActionCommand } from '../../core/action-command.js';
import { PermanentActionError } from '../../core/errors.js';

/** The rendered text of a reply or post; a command without one can never succeed. */
export function commandText(command: ActionCommand): string {
  const text = command.params.text;
  if (typeof text !== 'string' || text.trim() === '') {
    throw new PermanentActionError(`action ${command.id} (${command.type}) has no params.text to send`);
  }
  return text;
}

/** A string kept in `event.meta` by the connector's normaliser (reply target ids and the like). */
export function metaString(command: ActionCommand, key: string): string | undefined {
  const value = command.event.meta?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function unsupportedAction(command: ActionCommand, platform: string, supported: readonly string[]): PermanentActionError {
  return new PermanentActionError(`${platform} cannot perform '${command.type}' (supported: ${supported.join(', ')})`);
}

/** Ids from a payload go into URL paths: encode them so none can change the path. */
export function pathId(id: string): string {
  return encodeURIComponent(id);
}

/** A non-empty string parameter of the action (`channel`, …). */
export function stringParam(command: ActionCommand, key: string): string | undefined {
  const value = command.params[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

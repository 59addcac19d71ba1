import type { CanonicalEvent } from '../core/event.js';

/**
 * Conversation keys: where an answer to a message can appear. A message is waiting in its thread
 * (its own id when it starts one) and, in a DM, in the DM channel; an answer lands in its thread, or
 * under the message it replies to, or in the DM channel.
 */

function nativeId(event: CanonicalEvent): string {
  const prefix = `${event.platform}:`;
  return event.id.startsWith(prefix) ? event.id.slice(prefix.length) : event.id;
}

function key(event: CanonicalEvent, part: string): string {
  return `${event.platform}|${event.channel.id}|${part}`;
}

function dmKey(event: CanonicalEvent): string[] {
  return event.kind === 'dm' ? [key(event, '*dm')] : [];
}

/** The conversations a message waits in. */
export function waitingConversations(event: CanonicalEvent): string[] {
  return unique([key(event, event.thread.id ?? nativeId(event)), ...dmKey(event)]);
}

/** The one conversation a message's helpdesk ticket belongs to: its thread (its own id when it starts one). */
export function ticketConversation(event: CanonicalEvent): string {
  return key(event, event.thread.id ?? nativeId(event));
}

/** The conversations an event answers. */
export function answeredConversations(event: CanonicalEvent): string[] {
  const parts = [event.thread.id, event.thread.replyToId].filter((part): part is string => typeof part === 'string' && part !== '');
  return unique([...parts.map((part) => key(event, part)), ...dmKey(event)]);
}

/** Written by a connected account: a person on the team or Foghorn itself. */
export function isOwnAnswer(event: CanonicalEvent): boolean {
  return event.author.isSelf === true || event.sentByFoghorn === true;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

import type { CanonicalEvent } from './event.js';

/**
 * The canonical event without zod: its kinds, the bus's republished mark, and a check of its shape that accepts
 * and returns exactly what event.ts's schema does (extra keys dropped, `text` and `thread` defaulted; lengths in
 * code points, as zod counts them). The evaluate Lambda checks each message with this, so its bundle carries no
 * zod; test/core/canonical-event.test.ts holds the two to the same answers on generated events.
 */

/**
 * What kind of thing happened on the platform. Rules match on it with `kind`. `system` is a notice from the
 * platform, never someone's message (a WhatsApp customer's new number, X's authorisation revoked): `meta.notice`
 * says which, so rules can escalate on it and no auto-reply answers it. `ticket.solved` is a helpdesk ticket
 * Foghorn opened being solved, addressed like the message that opened it (escalation/ticket-solved.ts).
 */
export const EVENT_KINDS = [
  'message',
  'mention',
  'comment',
  'reply',
  'review',
  'dm',
  'post',
  'reaction',
  'sla.breached',
  'ticket.solved',
  'system',
  'other',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** The id every connector gives its events, so a redelivery of the same item maps to the same id. */
export function eventId(platform: string, nativeId: string | number): string {
  return `${platform}:${String(nativeId)}`;
}

/** How a canonical event travels on the bus (EventBridge on AWS, the local bus on one machine). */
export const EVENT_SOURCE = 'foghorn.ingest';
export const EVENT_DETAIL_TYPE = 'social.event';

/**
 * On the bus, the mark of an event published again because its store already held it (a platform's
 * redelivery, or a retry after a failed publish). Its evaluation reads the decision first whatever the
 * queue's receive count says, so a duplicate never spends a rule's limits twice. The stored event never has it.
 */
const REPUBLISHED = 'republished';

/** The event as published again (see REPUBLISHED). */
export function markRepublished(event: CanonicalEvent): CanonicalEvent {
  return Object.assign({ ...event }, { [REPUBLISHED]: true });
}

/** True for a bus detail published again (see REPUBLISHED). */
export function isRepublished(detail: unknown): boolean {
  return typeof detail === 'object' && detail !== null && (detail as Record<string, unknown>)[REPUBLISHED] === true;
}

/** RFC 3339 with seconds and a `Z` or an offset, leap days checked: zod's `z.iso.datetime({ offset: true })`. */
const DATE_TIME =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$/;

export type CanonicalEventCheck = { success: true; data: CanonicalEvent } | { success: false; problem: string };

class Invalid extends Error {}

/** The event `value` holds, or where it is wrong (the first problem found, by field). */
export function checkCanonicalEvent(value: unknown): CanonicalEventCheck {
  try {
    return { success: true, data: canonicalEvent(value) };
  } catch (error) {
    if (error instanceof Invalid) return { success: false, problem: error.message };
    throw error;
  }
}

function canonicalEvent(value: unknown): CanonicalEvent {
  const input = object(value, 'the event');
  const event: Record<string, unknown> = {
    id: string(input.id, 'id', 1, 512),
    platform: string(input.platform, 'platform', 1, 64),
    kind: kind(input.kind),
    text: input.text === undefined ? '' : string(input.text, 'text', 0, 100_000),
  };
  optional(event, 'lang', input.lang, (lang) => string(lang, 'lang', 2, 16));
  event.author = author(object(input.author, 'author'));
  const channel = object(input.channel, 'channel');
  event.channel = { id: string(channel.id, 'channel.id', 1) };
  optional(event.channel as Record<string, unknown>, 'name', channel.name, (name) => string(name, 'channel.name'));
  optional(event.channel as Record<string, unknown>, 'direct', channel.direct, (direct) => boolean(direct, 'channel.direct'));
  const thread = input.thread === undefined ? {} : object(input.thread, 'thread');
  event.thread = {};
  optional(event.thread as Record<string, unknown>, 'id', thread.id, (id) => string(id, 'thread.id'));
  optional(event.thread as Record<string, unknown>, 'replyToId', thread.replyToId, (id) => string(id, 'thread.replyToId'));
  event.createdAt = dateTime(input.createdAt, 'createdAt');
  event.receivedAt = dateTime(input.receivedAt, 'receivedAt');
  optional(event, 'raw', input.raw, (raw) => ({ ref: string(object(raw, 'raw').ref, 'raw.ref') }));
  optional(event, 'url', input.url, (url) => string(url, 'url'));
  optional(event, 'sentByFoghorn', input.sentByFoghorn, (sent) => boolean(sent, 'sentByFoghorn'));
  optional(event, 'tags', input.tags, (tags) => {
    if (!Array.isArray(tags)) throw new Invalid('tags: expected a list of texts');
    return tags.map((tag, index) => string(tag, `tags.${index}`));
  });
  optional(event, 'meta', input.meta, (meta) => ({ ...object(meta, 'meta') }));
  optional(event, 'trimmed', input.trimmed, (trimmed) => {
    const bytes = object(trimmed, 'trimmed').bytes;
    if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0)
      throw new Invalid('trimmed.bytes: expected a whole number of 0 or more');
    return { bytes };
  });
  return event as CanonicalEvent;
}

function author(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: string(input.id, 'author.id', 1) };
  optional(out, 'handle', input.handle, (handle) => string(handle, 'author.handle'));
  optional(out, 'name', input.name, (name) => string(name, 'author.name'));
  optional(out, 'followers', input.followers, (followers) => {
    if (typeof followers !== 'number' || !Number.isSafeInteger(followers) || followers < 0) {
      throw new Invalid('author.followers: expected a whole number of 0 or more');
    }
    return followers;
  });
  optional(out, 'verified', input.verified, (verified) => boolean(verified, 'author.verified'));
  optional(out, 'isSelf', input.isSelf, (isSelf) => boolean(isSelf, 'author.isSelf'));
  return out;
}

/** Sets `key` when the input has a value for it. */
function optional(out: Record<string, unknown>, key: string, value: unknown, read: (value: unknown) => unknown): void {
  if (value !== undefined) out[key] = read(value);
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Invalid(`${path}: expected an object`);
  return value as Record<string, unknown>;
}

function string(value: unknown, path: string, min = 0, max = Number.POSITIVE_INFINITY): string {
  if (typeof value !== 'string') throw new Invalid(`${path}: expected a text`);
  const length = codePoints(value);
  if (length < min || length > max) {
    throw new Invalid(`${path}: expected ${max === Number.POSITIVE_INFINITY ? `at least ${min}` : `${min} to ${max}`} characters`);
  }
  return value;
}

function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new Invalid(`${path}: expected true or false`);
  return value;
}

function kind(value: unknown): EventKind {
  if (typeof value !== 'string' || !(EVENT_KINDS as readonly string[]).includes(value)) {
    throw new Invalid(`kind: expected one of ${EVENT_KINDS.join(', ')}`);
  }
  return value as EventKind;
}

function dateTime(value: unknown, path: string): string {
  if (typeof value !== 'string' || !DATE_TIME.test(value)) throw new Invalid(`${path}: expected an ISO date and time with an offset`);
  return value;
}

/** A surrogate pair counts once, a lone surrogate as itself. */
function codePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    if ((text.charCodeAt(i) & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count;
}

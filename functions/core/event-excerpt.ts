import type { CanonicalEvent } from './event.js';
import type { EventStore } from './ports.js';

/**
 * How an event travels once it is stored: whole when it is small, as an excerpt when it is large. Ingest stores
 * every event before it publishes it, so a copy that travels (on the bus, in a decision's commands, in a response
 * timer) can leave the bulk behind and name the stored event by its id; the stage that needs the whole event
 * (evaluate for the rules, act for the connectors, the sweep for a breach event) reads it back, one read, and only
 * for a large event. A typical event is 0.6–2 KB as JSON and travels whole, so a plain auto-reply reads nothing;
 * a 100,000-character post is 100–300 KB, and a decision with five commands would hold it five times, past the
 * 400 KB an item takes.
 *
 * An excerpt is the event with its text cut to EXCERPT_TEXT_CHARS (and its `meta` dropped when that is what is
 * large), marked `trimmed` with the whole event's size. Its id, kind, author, channel, thread and times are
 * whole, so what only routes or counts (claims, analytics buckets, the approval queue's list) needs no read.
 */

/** Above this (JSON bytes), commands, response timers and approvals carry an excerpt; under it ordinary posts travel whole and cost no read (docs/deploy.md, "Item sizes"). */
export const EMBEDDED_EVENT_MAX_BYTES = 4 * 1024;

/** Above this, the bus carries an excerpt: EventBridge bills a 64 KB chunk and takes 256 KB an entry. */
export const BUS_EVENT_MAX_BYTES = 64 * 1024;

/** The text an excerpt keeps: enough for a person to recognise the message in a list. */
export const EXCERPT_TEXT_CHARS = 500;

/** The event's size as JSON, in UTF-8 bytes (what a queue message or a bus entry counts). */
export function eventBytes(event: CanonicalEvent): number {
  return Buffer.byteLength(JSON.stringify(event), 'utf8');
}

/** True for an excerpt: the whole event is in the event store under its id. */
export function isExcerpt(event: CanonicalEvent): boolean {
  return event.trimmed !== undefined;
}

/** The event itself when it is at most `maxBytes` as JSON, otherwise its excerpt (an excerpt stays one). */
export function excerptOf(event: CanonicalEvent, maxBytes: number): CanonicalEvent {
  if (isExcerpt(event)) return event;
  const bytes = eventBytes(event);
  if (bytes <= maxBytes) return event;
  const excerpt: CanonicalEvent = { ...event, text: cutText(event.text, EXCERPT_TEXT_CHARS), trimmed: { bytes } };
  if (eventBytes(excerpt) <= maxBytes) return excerpt;
  const { meta: _meta, ...withoutMeta } = excerpt;
  return withoutMeta;
}

/**
 * The whole event an excerpt stands for, read from the store; the event itself when it is whole. A stored event
 * that is missing (expired, or never stored) is an EventNotStoredError: no retry will find it.
 */
export async function wholeEvent(event: CanonicalEvent, events: Pick<EventStore, 'get'> | undefined): Promise<CanonicalEvent> {
  if (!isExcerpt(event)) return event;
  if (!events) throw new EventNotStoredError(event.id, 'no event store is wired to read it from');
  const stored = await events.get(event.id);
  if (!stored) throw new EventNotStoredError(event.id, 'it is not in the event store (expired, or never stored)');
  return stored.event;
}

export class EventNotStoredError extends Error {
  constructor(
    readonly eventId: string,
    why: string,
  ) {
    super(`event ${eventId} travelled as an excerpt and cannot be read whole: ${why}`);
    this.name = 'EventNotStoredError';
  }
}

/** The first `chars` UTF-16 units of `text`, never splitting a surrogate pair, with an ellipsis when cut. */
function cutText(text: string, chars: number): string {
  if (text.length <= chars) return text;
  const end = /[\uD800-\uDBFF]/.test(text[chars - 1] ?? '') ? chars - 1 : chars;
  return `${text.slice(0, end)}…`;
}

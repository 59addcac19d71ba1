import type { CanonicalEvent } from '../core/event.js';

/**
 * Facts a condition may name: every canonical event field by dotted name (objects too, for
 * json-rules-engine's `path`), free-form `meta.*`, and the facts Foghorn computes.
 */
export const COMPUTED_FACTS = {
  lang: "the language code: the platform's, or detected from the text",
  localHour: 'hour of day 0-23 in the configured time zone',
  weekday: 'mon, tue, wed, thu, fri, sat or sun in the configured time zone',
  businessHours: 'true inside the configured weekly hours and not on a holiday',
  holiday: 'true on a configured holiday',
  crisisMode: 'true while crisis mode is on (see docs/crisis.md)',
} as const;

/**
 * The canonical event's fields by dotted name, objects too (core/event.ts's schema, written out so that reading
 * rules needs no zod; test/rules/facts.test.ts keeps the two the same), and the open records whose keys are free.
 */
const eventFields: ReadonlySet<string> = new Set([
  'id',
  'platform',
  'kind',
  'text',
  'lang',
  'author',
  'author.id',
  'author.handle',
  'author.name',
  'author.followers',
  'author.verified',
  'author.isSelf',
  'channel',
  'channel.id',
  'channel.name',
  'channel.direct',
  'thread',
  'thread.id',
  'thread.replyToId',
  'createdAt',
  'receivedAt',
  'raw',
  'raw.ref',
  'url',
  'sentByFoghorn',
  'tags',
  'meta',
  // Only on an excerpt (core/event-excerpt.ts); rules see the whole event, read from the store.
  'trimmed',
  'trimmed.bytes',
]);
const openPrefixes: ReadonlySet<string> = new Set(['meta.']);

/** Dotted names of the canonical event's fields (author, author.followers, …). */
export const EVENT_FIELDS: ReadonlySet<string> = eventFields;
/** Prefixes of the free-form fields (`meta.`): any name after one is a fact. */
export const OPEN_FACT_PREFIXES: ReadonlySet<string> = openPrefixes;

export function isKnownFact(name: string): boolean {
  if (eventFields.has(name) || name in COMPUTED_FACTS) return true;
  for (const prefix of openPrefixes) if (name.startsWith(prefix) && name.length > prefix.length) return true;
  return false;
}

export function knownFactNames(): string[] {
  return [...eventFields, ...Object.keys(COMPUTED_FACTS), ...[...openPrefixes].map((p) => `${p}*`)];
}

/** A field of the event by dotted name; undefined when any step is missing. */
export function fieldValue(event: CanonicalEvent, dottedName: string): unknown {
  let value: unknown = event;
  for (const part of dottedName.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

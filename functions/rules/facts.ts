import { z } from 'zod';
import { type CanonicalEvent, canonicalEventSchema } from '../core/event.js';

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

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodNullable) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

function collectFields(schema: z.ZodType, prefix: string, into: Set<string>, prefixes: Set<string>): void {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    if (prefix !== '') into.add(prefix);
    for (const [key, child] of Object.entries(inner.shape as Record<string, z.ZodType>)) {
      collectFields(child, prefix === '' ? key : `${prefix}.${key}`, into, prefixes);
    }
  } else if (inner instanceof z.ZodRecord) {
    into.add(prefix);
    prefixes.add(`${prefix}.`);
  } else {
    into.add(prefix);
  }
}

const eventFields = new Set<string>();
const openPrefixes = new Set<string>();
collectFields(canonicalEventSchema, '', eventFields, openPrefixes);

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

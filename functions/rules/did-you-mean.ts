import { z } from 'zod';
import { suggestion } from './conditions.js';

/**
 * "Did you mean" for the keys of a rule file: rule keys and the keys of their parts, by synonym first (what the
 * key is called elsewhere: `threshold` is `atLeast` here) and then by spelling; and language names written where a
 * per-language text wants a code (`farsi:` is `fa:`). Facts, operators and placeholders use `suggestion` directly.
 */

/** What people call a key, from other tools and plain English, to the key it is here. */
const KEY_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  atLeast: ['threshold', 'count', 'min', 'minimum', 'limit'],
  within: ['window', 'period', 'interval', 'duration'],
  quiet: ['quietPeriod', 'cooldown'],
  when: ['if', 'condition', 'conditions', 'match', 'where'],
  then: ['actions', 'action', 'do'],
  id: ['name', 'key'],
  enabled: ['disabled', 'active'],
  tag: ['tags', 'label', 'labels'],
  text: ['message', 'body', 'content'],
  target: ['to', 'destination'],
  severity: ['level', 'priority'],
  summary: ['title', 'subject'],
  channel: ['to'],
  breakerCooldown: ['cooldown'],
  tests: ['test', 'examples'],
  perAuthor: ['perUser'],
};

/**
 * ` (did you mean 'x'?)` for an unknown key among the keys `schema` allows at `path`, by synonym, then by spelling;
 * failing those, a key one level down (`threshold` beside `volume` is `volume.atLeast`); else empty.
 */
export function keySuggestion(key: string, schema: z.ZodType, path: ReadonlyArray<string | number>): string {
  const known = keysAt(schema, path);
  const nested = known.flatMap((parent) => keysAt(schema, [...path, parent]).map((child) => `${parent}.${child}`));
  for (const candidates of [known, nested]) {
    const found = synonymOf(key, candidates) ?? nameIn(suggestion(key, candidates.map(leafOf)), candidates);
    if (found !== undefined) return ` (did you mean '${found}'?)`;
  }
  return '';
}

function synonymOf(key: string, candidates: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  return candidates.find((candidate) => KEY_SYNONYMS[leafOf(candidate)]?.some((name) => name.toLowerCase() === lower));
}

/** The candidate whose last part `suggestion` named. */
function nameIn(suggested: string, candidates: readonly string[]): string | undefined {
  const leaf = /'([^']+)'/.exec(suggested)?.[1];
  return leaf === undefined ? undefined : candidates.find((candidate) => leafOf(candidate) === leaf);
}

function leafOf(dotted: string): string {
  return dotted.slice(dotted.lastIndexOf('.') + 1);
}

/** Language names and endonyms, lower-cased, to their codes: the languages Foghorn's users write in. */
const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  farsi: 'fa',
  persian: 'fa',
  فارسی: 'fa',
  arabic: 'ar',
  العربية: 'ar',
  عربي: 'ar',
  hebrew: 'he',
  עברית: 'he',
  iw: 'he',
  urdu: 'ur',
  اردو: 'ur',
  turkish: 'tr',
  türkçe: 'tr',
  turkce: 'tr',
  swahili: 'sw',
  kiswahili: 'sw',
  russian: 'ru',
  русский: 'ru',
  english: 'en',
};

/** The message for a key of per-language texts that is not a language code. */
export function unknownLanguageMessage(key: string): string {
  const lower = key.toLowerCase();
  const named = LANGUAGE_NAMES[lower] ?? LANGUAGE_NAMES[nearLanguageName(lower) ?? ''];
  return named === undefined
    ? `unknown language '${key}': a language code such as en, fa, ar, pt-BR, or default`
    : `unknown language '${key}' (did you mean '${named}'?)`;
}

function nearLanguageName(name: string): string | undefined {
  const names = Object.keys(LANGUAGE_NAMES);
  return nameIn(suggestion(name, names), names);
}

/** The zod schema at `path` inside `schema` (objects by key, arrays by index, the union member that has the key). */
export function schemaAt(schema: z.ZodType, path: ReadonlyArray<string | number>): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  for (const segment of path) {
    current = current === undefined ? undefined : childOf(unwrap(current), segment);
  }
  return current;
}

/** The keys an object at `path` may hold; empty when no object is known there. */
export function keysAt(schema: z.ZodType, path: ReadonlyArray<string | number>): string[] {
  const at = schemaAt(schema, path);
  if (at === undefined) return [];
  const inner = unwrap(at);
  const objects = inner instanceof z.ZodUnion ? (inner.options as z.ZodType[]).map(unwrap) : [inner];
  return [...new Set(objects.flatMap((object) => (object instanceof z.ZodObject ? Object.keys(object.shape) : [])))];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault)
      current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodLazy) current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
    else return current;
  }
}

function childOf(schema: z.ZodType, segment: string | number): z.ZodType | undefined {
  if (schema instanceof z.ZodArray) return typeof segment === 'number' ? (schema.element as z.ZodType) : undefined;
  if (schema instanceof z.ZodRecord) return schema.valueType as z.ZodType;
  if (schema instanceof z.ZodObject) return (schema.shape as Record<string, z.ZodType>)[String(segment)];
  if (schema instanceof z.ZodUnion) {
    for (const option of schema.options as z.ZodType[]) {
      const child = childOf(unwrap(option), segment);
      if (child !== undefined) return child;
    }
  }
  return undefined;
}

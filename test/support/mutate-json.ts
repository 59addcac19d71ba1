import fc from 'fast-check';
import { expect } from 'vitest';
import { FoghornError } from '../../functions/core/errors.js';
import { canonicalEventSchema } from '../../functions/core/event.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonPath = (string | number)[];

/** Every path (list of keys/indices) inside a JSON value, the root included. */
export function jsonPaths(value: Json, prefix: JsonPath = []): JsonPath[] {
  const paths = [prefix];
  if (Array.isArray(value)) for (const [index, item] of value.entries()) paths.push(...jsonPaths(item, [...prefix, index]));
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) paths.push(...jsonPaths(item, [...prefix, key]));
  return paths;
}

/**
 * A copy of `value` with the node at `path` replaced by `replacement` (or deleted when it is undefined); `value`
 * itself when the path no longer leads anywhere (an earlier change replaced one of its parents).
 */
export function replaceAt(value: Json, path: JsonPath, replacement: Json | undefined): Json | undefined {
  if (path.length === 0) return replacement;
  const copy = structuredClone(value);
  const parent = valueAt(copy, path.slice(0, -1));
  const last = path[path.length - 1] as string | number;
  // An earlier change may have put an array where an object was, or the reverse (a string key on an array would grow it).
  const leads = Array.isArray(parent)
    ? typeof last === 'number' && last < parent.length
    : typeof parent === 'object' && parent !== null && typeof last === 'string';
  if (!leads) return value;
  if (replacement === undefined) delete (parent as Record<string | number, Json>)[last];
  else (parent as Record<string | number, Json>)[last] = replacement;
  return copy;
}

/** One field replaced by `value`, or removed when `value` is undefined. */
export interface JsonChange {
  readonly path: JsonPath;
  readonly value: Json | undefined;
}

/** A documented payload, the changes made to it, and the bytes a fuzzer sends after the signature check. */
export interface JsonMutation {
  readonly original: Json;
  readonly changes: readonly JsonChange[];
  readonly body: Buffer;
}

/** Real-shaped payloads with 1 to `maxChanges` fields (at any depth) replaced by any JSON value or removed. */
export function jsonMutations(fixture: Json, maxChanges = 1): fc.Arbitrary<JsonMutation> {
  const change = fc.record({ path: fc.constantFrom(...jsonPaths(fixture)), value: fc.option(fc.jsonValue(), { nil: undefined }) });
  return fc.array(change, { minLength: 1, maxLength: maxChanges }).map((changes) => {
    let body: Json | undefined = fixture;
    for (const { path, value } of changes) body = replaceAt(body ?? null, path, value as Json | undefined);
    return { original: fixture, changes: changes as JsonChange[], body: Buffer.from(JSON.stringify(body ?? null)) };
  });
}

/** Real-shaped payloads with one field replaced by any JSON value or removed. */
export function mutatedPayloads(fixture: Json): fc.Arbitrary<Buffer> {
  return jsonMutations(fixture).map((mutation) => mutation.body);
}

/** What a connector makes of a signed delivery: its events, or undefined when it answered a handshake instead. */
export type ReadDelivery = (body: Buffer) => readonly unknown[] | undefined;

/**
 * The outcomes a delivery with changed fields may have, and nothing else:
 * - events, each as the ingest accepts them (the canonical schema) and, unless a changed field held (part of) an
 *   id, with one of the ids the untouched fixture gives, or the id of another item of the payload, read from a
 *   field of the same name (a message a change turned into an event);
 * - a refusal with a 4xx FoghornError that says where: it names a changed field (a setting's name, like
 *   `FOGHORN_VK_GROUP_ID`, is no field's name).
 * A crash, a 5xx, an event the ingest would quarantine, an id taken from elsewhere or a refusal that does not say
 * where fails the case.
 */
export function expectEventsOrNamedRefusal(read: ReadDelivery, mutation: JsonMutation): void {
  const fixture = fixtureFacts(read, mutation.original);
  let events: readonly unknown[] | undefined;
  try {
    events = read(mutation.body);
  } catch (error) {
    expectNamedRefusal(error, mutation);
    return;
  }
  if (events === undefined) return;
  const idChanged = mutation.changes.some(({ path }) => fixture.idPaths.some((idPath) => startsWith(idPath, path)));
  for (const event of events) {
    const parsed = canonicalEventSchema.safeParse(event);
    expect(parsed.error?.issues ?? [], `an event the ingest would quarantine, after ${described(mutation)}`).toEqual([]);
    if (!parsed.success) continue;
    const { id } = parsed.data;
    // An id made of a value a change wrote (into an item that gave no event before) is that change's doing.
    if (idChanged || changedTexts(mutation).some((text) => text.length >= 4 && id.includes(text))) continue;
    expect(
      fixture.ids.includes(id) || fixture.idValues.has(id.slice(id.indexOf(':') + 1)),
      `event id ${id} after ${described(mutation)}, which touched no id field`,
    ).toBe(true);
  }
}

function expectNamedRefusal(error: unknown, mutation: JsonMutation): void {
  expect(error, `a refusal is a FoghornError, after ${described(mutation)}`).toBeInstanceOf(FoghornError);
  const { status, message, detail } = error as FoghornError;
  expect(status, message).toBeGreaterThanOrEqual(400);
  expect(status, message).toBeLessThan(500);
  const said = `${message} ${JSON.stringify(detail ?? null)}`;
  const words = wordsOf(withoutSettingNames(said));
  const marked = markedNames(said);
  const saysWhere = mutation.changes.some(({ path }) => {
    const [parent, field] = [undefined, ...path.filter((key): key is string => typeof key === 'string')].slice(-2);
    // The whole body (or an array element of it) replaced has no field name to give.
    if (field === undefined) return true;
    // The field as a word; the object it is in only as a name (`member.user` when member.user.id went), since
    // containers are called like ordinary words ("event", "message").
    return containsRun(words, wordsOf(field)) || (parent !== undefined && marked.has(parent));
  });
  expect(saysWhere, `the refusal "${said}" names none of the changed fields, after ${described(mutation)}`).toBe(true);
}

/** The names a refusal writes as names: in backticks or quotes, or as parts of a dotted path (`event.channel`). */
function markedNames(said: string): Set<string> {
  const names = new Set<string>();
  for (const [, quoted] of said.matchAll(/[`'"]([\w.]+)[`'"]/g)) for (const part of quoted!.split('.')) names.add(part);
  for (const [dotted] of said.matchAll(/\w+(?:\.\w+)+/g)) for (const part of dotted.split('.')) names.add(part);
  return names;
}

/** Every string and number the changes wrote. */
function changedTexts(mutation: JsonMutation): string[] {
  return mutation.changes
    .flatMap(({ value }) => leavesOf(value))
    .filter((leaf) => typeof leaf === 'string' || typeof leaf === 'number')
    .map(String)
    .filter((text) => text !== '');
}

function leavesOf(value: Json | undefined): Json[] {
  if (value === undefined) return [];
  return jsonPaths(value)
    .map((path) => valueAt(value, path) as Json)
    .filter((leaf) => leaf === null || typeof leaf !== 'object');
}

interface FixtureFacts {
  /** The ids of the untouched fixture's events. */
  ids: string[];
  /** The fields those ids are made of. */
  idPaths: JsonPath[];
  /** The values of the fixture's fields named like those its ids are made of (`mid`, `update_id`), as text. */
  idValues: Set<string>;
}

const factsCache = new WeakMap<ReadDelivery, Map<Json, FixtureFacts>>();

function fixtureFacts(read: ReadDelivery, fixture: Json): FixtureFacts {
  const byFixture = factsCache.get(read) ?? new Map<Json, FixtureFacts>();
  factsCache.set(read, byFixture);
  const cached = byFixture.get(fixture);
  if (cached) return cached;
  const ids = (read(Buffer.from(JSON.stringify(fixture))) ?? []).map((event) => canonicalEventSchema.parse(event).id);
  const natives = ids.map((id) => id.slice(id.indexOf(':') + 1));
  const primitives = jsonPaths(fixture)
    .map((path) => ({ path, value: valueAt(fixture, path) }))
    .filter((entry): entry is { path: JsonPath; value: string | number } => ['string', 'number'].includes(typeof entry.value));
  // A field holds (part of) an id when its value is written in one; shorter values would match by chance.
  const idPaths = primitives
    .filter(({ value }) => String(value).length >= 4 && natives.some((native) => native.includes(String(value))))
    .map(({ path }) => path);
  // Another item's id (one the fixture gives no event for) sits under the same key as the fixture's ids.
  const idKeys = new Set(idPaths.map((path) => path.at(-1)));
  const idValues = new Set(primitives.filter(({ path }) => idKeys.has(path.at(-1))).map(({ value }) => String(value)));
  const facts = { ids, idPaths, idValues };
  byFixture.set(fixture, facts);
  return facts;
}

function valueAt(value: Json | undefined, path: JsonPath): Json | undefined {
  let node = value;
  for (const key of path) node = node !== null && typeof node === 'object' ? (node as Record<string | number, Json>)[key] : undefined;
  return node;
}

function startsWith(path: JsonPath, prefix: JsonPath): boolean {
  return prefix.length <= path.length && prefix.every((key, index) => path[index] === key);
}

/** The text with every setting's name (`FOGHORN_VK_GROUP_ID`) taken out: it says what was compared, not where. */
function withoutSettingNames(text: string): string {
  return text.replace(/\bFOGHORN_[A-Z0-9_]+/g, ' ');
}

/** Lower-case words, splitting snake_case, camelCase and punctuation: `group_id` and `groupId` both hold `group id`. */
function wordsOf(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

function containsRun(words: readonly string[], run: readonly string[]): boolean {
  if (run.length === 0) return false;
  for (let start = 0; start + run.length <= words.length; start++) {
    if (run.every((word, offset) => words[start + offset] === word)) return true;
  }
  return false;
}

function described(mutation: JsonMutation): string {
  return `changing ${mutation.changes.map(({ path, value }) => `${path.join('.') || '(the body)'} to ${JSON.stringify(value) ?? '(removed)'}`).join(', ')}`;
}

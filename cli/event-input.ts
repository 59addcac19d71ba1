import { createReadStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { type CanonicalEvent, canonicalEventSchema } from '../functions/core/event.js';
import { withTestDefaults } from '../functions/rules/compile.js';
import { suggestion } from '../functions/rules/conditions.js';
import { type CliIo, UsageError } from './io.js';

/**
 * Events as a person writes them, for `foghorn evaluate` and `foghorn backtest`: JSON lines (one object a line) or
 * one JSON array, from a file or stdin (`-`). Each event gets what a rule test's event gets when a field is left
 * out (rules/compile.ts withTestDefaults), so `{"text":"refund please"}` is an event. A wrong one is named by
 * where it is (`events.jsonl:3`, `stdin[2]`) and by its field, in words.
 */

/** One value read from the input, or why it could not be read. */
export type InputItem = { where: string; ordinal: number; value: unknown } | { where: string; ordinal: number; error: string };

export interface EventInput {
  /** How messages name the input: the path as given, or `stdin`. */
  name: string;
  stream: NodeJS.ReadableStream;
}

/** `--events FILE|-`: the file (it must exist), or stdin. */
export function openEventInput(given: string, io: CliIo): EventInput {
  if (given === '-') {
    const stdin = io.stdin ?? process.stdin;
    // Typed at a terminal, the input has no end until the person gives one.
    if (stdin.isTTY) io.err('reading events from the terminal, one JSON object a line; end with Ctrl-D');
    return { name: 'stdin', stream: stdin };
  }
  const path = resolve(io.cwd, given);
  if (!existsSync(path)) throw new UsageError(`events file ${path} does not exist`);
  return { name: given, stream: createReadStream(path) };
}

/**
 * The values of the input in order. Its first character decides: `[` is one JSON array (read whole, items named
 * `name[index]`); anything else is JSON lines, read as they come (named `name:line`; blank lines skipped).
 */
export async function* readJsonInput(input: EventInput): AsyncGenerator<InputItem> {
  const decoder = new TextDecoder();
  let buffered = '';
  let mode: 'array' | 'lines' | undefined;
  let line = 0;
  let ordinal = 0;
  const lineItem = (text: string): InputItem | undefined => {
    line++;
    if (text.trim() === '') return undefined;
    ordinal++;
    const where = `${input.name}:${line}`;
    try {
      return { where, ordinal, value: JSON.parse(text) };
    } catch (error) {
      return { where, ordinal, error: `not JSON: ${(error as Error).message}` };
    }
  };
  for await (const chunk of input.stream) {
    buffered += typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true });
    mode ??= firstCharacter(buffered);
    if (mode !== 'lines') continue;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const item = lineItem(buffered.slice(0, newline).replace(/\r$/, ''));
      if (item) yield item;
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
  }
  buffered += decoder.decode();
  if ((mode ?? firstCharacter(buffered)) === 'array') {
    let values: unknown;
    try {
      values = JSON.parse(buffered);
    } catch (error) {
      yield { where: input.name, ordinal: 1, error: `not a JSON array: ${(error as Error).message}` };
      return;
    }
    if (!Array.isArray(values)) return;
    for (const [index, value] of values.entries()) yield { where: `${input.name}[${index}]`, ordinal: index + 1, value };
    return;
  }
  const last = lineItem(buffered.replace(/\r$/, ''));
  if (last) yield last;
}

function firstCharacter(text: string): 'array' | 'lines' | undefined {
  const first = /\S/.exec(text)?.[0];
  return first === undefined ? undefined : first === '[' ? 'array' : 'lines';
}

const EVENT_FIELDS = Object.keys(canonicalEventSchema.shape);

/**
 * The event a person wrote, with a rule test's defaults for what is left out (id `test:<ordinal>`, platform `test`,
 * kind `message`, author `test-author`, channel `test-channel`, both times `now`), or what is wrong with it, one
 * message a field.
 */
export function writtenEvent(value: unknown, ordinal: number, now: Date): { event: CanonicalEvent } | { problems: string[] } {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { problems: [`an event is a JSON object such as {"text": "hello"}, got ${describe(value)}`] };
  const raw = { ...(value as Record<string, unknown>) };
  const problems: string[] = [];
  for (const key of Object.keys(raw)) {
    if (EVENT_FIELDS.includes(key)) continue;
    const near = suggestion(key, EVENT_FIELDS);
    problems.push(`${key}: unknown field${near || ` (an event's fields: ${EVENT_FIELDS.join(', ')})`}`);
    delete raw[key];
  }
  for (const key of ['author', 'channel', 'thread'] as const) {
    const part = raw[key];
    if (part === undefined || (part !== null && typeof part === 'object' && !Array.isArray(part))) continue;
    problems.push(`${key}: expected an object such as {"id": "7"${key === 'author' ? ', "name": "Sara"' : ''}}, got ${describe(part)}`);
    // Left to its default, so the rest of the event is still checked.
    delete raw[key];
  }
  const parsed = canonicalEventSchema.safeParse(withTestDefaults(raw, String(ordinal), now));
  if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => issueText(issue, raw)));
  return problems.length > 0 || !parsed.success ? { problems } : { event: parsed.data };
}

/** One zod issue as a sentence: the field, what it holds, what it should be. */
function issueText(issue: z.core.$ZodIssue, raw: Record<string, unknown>): string {
  const path = issue.path.map(String).join('.') || '(event)';
  const got = issue.path.reduce<unknown>(
    (at, key) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[String(key)] : undefined),
    raw,
  );
  if (issue.code === 'invalid_value') {
    const allowed = issue.values.map(String);
    return `${path}: ${JSON.stringify(got)} is not one of ${allowed.join(', ')}${typeof got === 'string' ? suggestion(got, allowed) : ''}`;
  }
  if (issue.code === 'invalid_format' && issue.format === 'datetime')
    return `${path}: ${JSON.stringify(got)} is not an ISO time such as 2026-01-05T10:00:00Z`;
  if (issue.code === 'invalid_type') return `${path}: expected ${article(issue.expected)}, got ${describe(got)}`;
  return `${path}: ${issue.message}`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${article(typeof value)} ${JSON.stringify(value)}`;
}

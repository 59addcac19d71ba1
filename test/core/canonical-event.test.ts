import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCanonicalEvent } from '../../functions/core/canonical-event.js';
import { canonicalEventSchema, EVENT_KINDS } from '../../functions/core/event.js';

const text = (min = 0, max = 20) =>
  fc.oneof(fc.string({ minLength: min, maxLength: max }), fc.string({ unit: 'grapheme', minLength: min, maxLength: max }));

const dateTime = fc.oneof(
  fc.date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }).map((date) => date.toISOString()),
  fc
    .tuple(fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), fc.integer({ min: -30, max: 30 }))
    .map(([date, hours]) => `${date.toISOString().slice(0, 19)}${hours < 0 ? '-' : '+'}${String(Math.abs(hours)).padStart(2, '0')}:30`),
  fc.constantFrom('2024-02-29T00:00:00Z', '2023-02-29T00:00:00Z', '2026-01-05T10:00Z', '2026-01-05 10:00:00Z', '2026-13-01T00:00:00Z'),
);

const validEvent = fc.record(
  {
    id: text(1, 30),
    platform: text(1, 10),
    kind: fc.constantFrom(...EVENT_KINDS),
    text: text(0, 40),
    lang: text(2, 16),
    author: fc.record(
      {
        id: text(1),
        handle: text(),
        name: text(),
        followers: fc.integer({ min: 0 }),
        verified: fc.boolean(),
        isSelf: fc.boolean(),
        extra: fc.jsonValue(),
      },
      { requiredKeys: ['id'] },
    ),
    channel: fc.record({ id: text(1), name: text() }, { requiredKeys: ['id'] }),
    thread: fc.record({ id: text(), replyToId: text() }, { requiredKeys: [] }),
    createdAt: dateTime,
    receivedAt: dateTime,
    raw: fc.record({ ref: text() }),
    url: text(),
    sentByFoghorn: fc.boolean(),
    tags: fc.array(text()),
    meta: fc.dictionary(
      text().filter((key) => key !== '__proto__'),
      fc.jsonValue(),
    ),
    republished: fc.boolean(),
    trimmed: fc.record({ bytes: fc.integer({ min: 0 }) }),
  },
  { requiredKeys: ['id', 'platform', 'kind', 'author', 'channel', 'createdAt', 'receivedAt'] },
);

/** A path into the event and a value to put there (or undefined: remove it). */
const edit = fc.tuple(
  fc.constantFrom(
    'id',
    'platform',
    'kind',
    'text',
    'lang',
    'author',
    'author.id',
    'author.followers',
    'author.verified',
    'channel',
    'channel.id',
    'thread',
    'thread.id',
    'createdAt',
    'receivedAt',
    'raw',
    'raw.ref',
    'tags',
    'meta',
    'trimmed',
    'trimmed.bytes',
  ),
  fc.oneof(
    fc.constant(undefined),
    fc.jsonValue(),
    text(0, 3),
    fc.string({ minLength: 60, maxLength: 70 }),
    fc.string({ unit: 'grapheme', minLength: 9, maxLength: 18 }),
    fc.double(),
    fc.integer({ min: -2, max: 2 }),
    fc.constant(2 ** 53),
    fc.array(fc.string(), { maxLength: 3 }),
    fc.constant(null),
  ),
);

function withEdit(event: Record<string, unknown>, [path, value]: [string, unknown]): Record<string, unknown> {
  const copy = structuredClone(event);
  const parts = path.split('.');
  let target: Record<string, unknown> = copy;
  for (const part of parts.slice(0, -1)) {
    if (target[part] === null || typeof target[part] !== 'object') return copy;
    target = target[part] as Record<string, unknown>;
  }
  const last = parts.at(-1)!;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

describe('checkCanonicalEvent', () => {
  it('accepts and returns exactly what the canonical event schema does, on valid and broken events', () => {
    fc.assert(
      fc.property(validEvent, fc.array(edit, { maxLength: 3 }), (event, edits) => {
        const input = edits.reduce(withEdit, event as Record<string, unknown>);
        const expected = canonicalEventSchema.safeParse(input);
        const actual = checkCanonicalEvent(input);
        expect(actual.success).toBe(expected.success);
        if (actual.success && expected.success) expect(actual.data).toEqual(expected.data);
      }),
      { numRuns: 3_000 },
    );
  });

  it('agrees on anything at all, and says which field is wrong', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(checkCanonicalEvent(value).success).toBe(canonicalEventSchema.safeParse(value).success);
      }),
    );
    const event = {
      id: 'x:1',
      platform: 'x',
      kind: 'mention',
      author: { id: 'a' },
      channel: { id: 'c' },
      createdAt: '2026-01-05T10:00:00Z',
    };
    expect(checkCanonicalEvent({ ...event, receivedAt: '2026-01-05T10:00:00+03:30' })).toMatchObject({ success: true });
    expect(checkCanonicalEvent({ ...event, receivedAt: 'yesterday' })).toEqual({
      success: false,
      problem: 'receivedAt: expected an ISO date and time with an offset',
    });
    expect(checkCanonicalEvent({ ...event, receivedAt: event.createdAt, author: { id: 'a', followers: -1 } })).toEqual({
      success: false,
      problem: 'author.followers: expected a whole number of 0 or more',
    });
  });
});

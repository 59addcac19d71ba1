import { describe, expect, it } from 'vitest';
import { checkCanonicalEvent } from '../../functions/core/canonical-event.js';
import type { CanonicalEvent } from '../../functions/core/event.js';
import { canonicalEventSchema } from '../../functions/core/event.js';
import {
  EMBEDDED_EVENT_MAX_BYTES,
  EventNotStoredError,
  EXCERPT_TEXT_CHARS,
  eventBytes,
  excerptOf,
  isExcerpt,
  wholeEvent,
} from '../../functions/core/event-excerpt.js';
import type { EventStore } from '../../functions/core/ports.js';
import { makeEvent } from '../support/events.js';

/** An event whose JSON is exactly `bytes` long, padded with ASCII text. */
function eventOfBytes(bytes: number, overrides: Partial<CanonicalEvent> = {}): CanonicalEvent {
  const bare = makeEvent({ text: '', ...overrides });
  return { ...bare, text: 'a'.repeat(bytes - eventBytes(bare)) };
}

/** An event store holding `events`, counting its reads. */
function storeOf(...events: CanonicalEvent[]): Pick<EventStore, 'get'> & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    get: async (id) => {
      reads.push(id);
      const event = events.find((candidate) => candidate.id === id);
      return event ? { event } : undefined;
    },
  };
}

describe('excerptOf', () => {
  it('keeps an event of exactly the threshold whole, and cuts one a byte over, marking its whole size', () => {
    const at = eventOfBytes(EMBEDDED_EVENT_MAX_BYTES);
    const over = eventOfBytes(EMBEDDED_EVENT_MAX_BYTES + 1);
    expect(eventBytes(at)).toBe(EMBEDDED_EVENT_MAX_BYTES);
    expect(excerptOf(at, EMBEDDED_EVENT_MAX_BYTES)).toBe(at);

    const excerpt = excerptOf(over, EMBEDDED_EVENT_MAX_BYTES);
    expect(excerpt).toEqual({ ...over, text: `${'a'.repeat(EXCERPT_TEXT_CHARS)}…`, trimmed: { bytes: EMBEDDED_EVENT_MAX_BYTES + 1 } });
    expect(eventBytes(excerpt)).toBeLessThanOrEqual(EMBEDDED_EVENT_MAX_BYTES);
    expect(isExcerpt(excerpt)).toBe(true);
    expect(isExcerpt(over)).toBe(false);
    // An excerpt is not cut again (its marker keeps the whole size).
    expect(excerptOf(excerpt, 100)).toBe(excerpt);
  });

  it('counts UTF-8 bytes and never splits a surrogate pair', () => {
    // 2,000 emoji: 4,000 UTF-16 units, 8,000 bytes; the cut falls inside the pair at unit 500.
    const emoji = makeEvent({ text: `x${'🚀'.repeat(2000)}` });
    const excerpt = excerptOf(emoji, EMBEDDED_EVENT_MAX_BYTES);
    expect(excerpt.trimmed).toEqual({ bytes: eventBytes(emoji) });
    expect(excerpt.text).toBe(`x${'🚀'.repeat((EXCERPT_TEXT_CHARS - 2) / 2)}…`);
    // No lone surrogate: it encodes to UTF-8 and back unchanged.
    expect(Buffer.from(excerpt.text, 'utf8').toString('utf8')).toBe(excerpt.text);
    // Three-byte text is large in bytes long before it is long in characters.
    const cjk = makeEvent({ text: '漢'.repeat(1400) });
    expect(cjk.text.length).toBeLessThan(EMBEDDED_EVENT_MAX_BYTES / 2);
    expect(isExcerpt(excerptOf(cjk, EMBEDDED_EVENT_MAX_BYTES))).toBe(true);
  });

  it('drops meta when it, not the text, makes the event large; keeps the ids and times that route it', () => {
    const event = makeEvent({ thread: { id: 't1', replyToId: 'r1' }, meta: { blob: 'm'.repeat(10_000), tweetId: '42' } });
    const excerpt = excerptOf(event, EMBEDDED_EVENT_MAX_BYTES);
    expect(excerpt.meta).toBeUndefined();
    expect(excerpt).toMatchObject({
      id: event.id,
      kind: event.kind,
      author: event.author,
      channel: event.channel,
      thread: event.thread,
      createdAt: event.createdAt,
      trimmed: { bytes: eventBytes(event) },
    });
    expect(excerpt.text).toBe(event.text);
  });

  it('survives the bus: both checks of a canonical event keep the marker', () => {
    const excerpt = excerptOf(makeEvent({ text: 'b'.repeat(10_000) }), EMBEDDED_EVENT_MAX_BYTES);
    const parsed = checkCanonicalEvent(JSON.parse(JSON.stringify(excerpt)));
    expect(parsed).toEqual({ success: true, data: excerpt });
    expect(canonicalEventSchema.parse(JSON.parse(JSON.stringify(excerpt)))).toEqual(excerpt);
    expect(checkCanonicalEvent({ ...excerpt, trimmed: { bytes: -1 } })).toMatchObject({ success: false });
  });
});

describe('wholeEvent', () => {
  it('reads nothing for a whole event, and the stored event for an excerpt', async () => {
    const small = makeEvent();
    const large = makeEvent({ id: 'generic:large', text: 'c'.repeat(20_000) });
    const store = storeOf(large);
    expect(await wholeEvent(small, store)).toBe(small);
    expect(store.reads).toEqual([]);
    expect(await wholeEvent(excerptOf(large, EMBEDDED_EVENT_MAX_BYTES), store)).toEqual(large);
    expect(store.reads).toEqual(['generic:large']);
  });

  it('names the event when the store does not hold it, or when no store is wired', async () => {
    const excerpt = excerptOf(makeEvent({ id: 'generic:gone', text: 'd'.repeat(20_000) }), EMBEDDED_EVENT_MAX_BYTES);
    const missing = await wholeEvent(excerpt, storeOf()).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(EventNotStoredError);
    expect((missing as Error).message).toContain('generic:gone');
    const unwired = await wholeEvent(excerpt, undefined).catch((error: unknown) => error);
    expect(unwired).toBeInstanceOf(EventNotStoredError);
    expect((unwired as Error).message).toContain('no event store');
  });
});

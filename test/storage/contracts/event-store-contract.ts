import { expect, it } from 'vitest';
import type { CanonicalEvent } from '../../../functions/core/event.js';
import { BadCursorError } from '../../../functions/core/index-page.js';
import type { EventStore } from '../../../functions/core/ports.js';
import { makeEvent } from '../../support/events.js';

/** The port, plus what the local runtime's listings read (both adapters have them). */
export interface ListableEventStore extends EventStore {
  getRaw(ref: string): Promise<Buffer | undefined>;
  listPage(query: {
    limit: number;
    cursor?: string;
    platform?: string;
    kind?: string;
    status?: string;
    since?: string;
    until?: string;
    fingerprint?: string;
  }): Promise<{ items: CanonicalEvent[]; next?: string }>;
  listQuarantine(
    limit: number,
  ): Promise<Array<{ id: string; platform: string; reason: string; detail?: string; rawRef: string; receivedAt: string }>>;
}

/**
 * What every EventStore must do, run against the embedded store (lmdb) and the DynamoDB one (dynalite): the
 * same tests, so the two cannot drift. A harness may share one table or folder across tests: each test uses
 * its own ids, and each listing test its own years, so the newest entries of a listing are the test's own.
 */
export function eventStoreContract(make: () => ListableEventStore): void {
  const raw = (text: string, receivedAt = new Date('2026-11-22T10:00:01.000Z')) => ({
    platform: 'generic',
    body: Buffer.from(text, 'utf8'),
    receivedAt,
  });

  it('stores an event once: a second put of the same id reports it exists and keeps the first', async () => {
    const store = make();
    const first = makeEvent({ id: 'generic:once', text: 'first' });
    expect(await store.putIfAbsent(first)).toEqual({ created: true, published: false });
    expect(await store.putIfAbsent({ ...first, text: 'second' })).toEqual({ created: false, published: false });
    const stored = await store.get('generic:once');
    expect(stored?.event).toEqual(first);
    // A store that is not its own outbox leaves the publish to ingest, so it never claims the event is published.
    expect(stored?.published).not.toBe(true);
    expect(await store.get('generic:never-stored')).toBeUndefined();
  });

  it('lets exactly one of many concurrent puts of one id create it', async () => {
    const store = make();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) => store.putIfAbsent(makeEvent({ id: 'generic:race', text: `copy ${index}` }))),
    );
    expect(results.filter((result) => result.created)).toHaveLength(1);
  });

  it('keeps the raw payload with the event in the same put, byte for byte, under event#<id>', async () => {
    const store = make();
    const body = '{"ü":"\u0600"}\n';
    const event = makeEvent({ id: 'generic:with-raw', raw: { ref: 'event#generic:with-raw' } });
    await store.putIfAbsent(event, raw(body));
    const again = Buffer.from('another delivery of the same event');
    await store.putIfAbsent(event, { ...raw(''), body: again });
    expect((await store.getRaw('event#generic:with-raw'))?.equals(Buffer.from(body, 'utf8'))).toBe(true);
    expect(await store.getRaw('event#generic:no-such-event')).toBeUndefined();
    // A second event of the same delivery carries no payload of its own, only the ref to the first.
    await store.putIfAbsent(makeEvent({ id: 'generic:with-raw-2', raw: { ref: 'event#generic:with-raw' } }));
    expect(await store.getRaw('event#generic:with-raw-2')).toBeUndefined();
  });

  it('keeps large and binary payloads intact', async () => {
    const store = make();
    const body = Buffer.alloc(200 * 1024);
    for (let index = 0; index < body.length; index++) body[index] = (index * 7919) % 256;
    await store.putIfAbsent(makeEvent({ id: 'generic:large' }), { platform: 'generic', body, receivedAt: new Date() });
    await store.putIfAbsent(makeEvent({ id: 'generic:small' }), raw('small'));
    const [large, small] = [await store.getRaw('event#generic:large'), await store.getRaw('event#generic:small')];
    expect(large?.equals(body)).toBe(true);
    expect(small?.toString()).toBe('small');
  });

  it('merges tags without duplicates and refuses tags for an event it does not have', async () => {
    const store = make();
    await store.putIfAbsent(makeEvent({ id: 'generic:tags', tags: ['from-platform'] }));
    await store.addTags('generic:tags', ['vip']);
    await store.addTags('generic:tags', ['vip', 'complaint']);
    await store.addTags('generic:tags', []);
    const tags = (await store.get('generic:tags'))?.event.tags ?? [];
    expect([...tags].sort()).toEqual(['complaint', 'from-platform', 'vip']);
    expect(tags).toHaveLength(3);
    await expect(store.addTags('generic:no-such-event', ['vip'])).rejects.toThrow(/no event generic:no-such-event/);
  });

  it('lists events newest first, up to the limit', async () => {
    const store = make();
    for (let i = 0; i < 5; i++) await store.putIfAbsent(makeEvent({ id: `generic:list-${i}`, receivedAt: `2030-01-01T00:00:0${i}.000Z` }));
    expect((await store.listRecent(3)).map((event) => event.id)).toEqual(['generic:list-4', 'generic:list-3', 'generic:list-2']);
  });

  it('pages a filtered listing with a cursor: every match once, in order, whatever the page cut', async () => {
    const store = make();
    const kinds = ['message', 'comment', 'comment'] as const;
    for (let i = 0; i < 30; i++) {
      const receivedAt = `2040-01-01T00:00:${String(i).padStart(2, '0')}.000Z`;
      await store.putIfAbsent(makeEvent({ id: `generic:page-${i}`, kind: kinds[i % 3], receivedAt }));
    }
    const expected = Array.from({ length: 30 }, (_, i) => 29 - i)
      .filter((i) => i % 3 === 0)
      .map((i) => `generic:page-${i}`);
    for (const limit of [1, 3, 4, 10, 100]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.listPage({
          limit,
          kind: 'message',
          since: '2040-01-01T00:00:00.000Z',
          fingerprint: 'kind=message',
          ...(cursor ? { cursor } : {}),
        });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items.map((event) => event.id));
        cursor = page.next;
        pages += 1;
      } while (cursor && pages < 50);
      expect(seen, `limit ${limit}`).toEqual(expected);
    }
  });

  it('bounds a listing by time (since inclusive, until exclusive) and filters by platform and status', async () => {
    const store = make();
    const at = (second: number) => `2041-01-01T00:00:${String(second).padStart(2, '0')}.000Z`;
    for (let i = 0; i < 6; i++) {
      const platform = i % 2 === 0 ? 'generic' : 'telegram';
      await store.putIfAbsent(makeEvent({ id: `${platform}:bounds-${i}`, platform, receivedAt: at(i) }));
    }
    const ids = async (query: Parameters<ListableEventStore['listPage']>[0]) => (await store.listPage(query)).items.map((e) => e.id);
    expect(await ids({ limit: 100, since: at(1), until: at(4) })).toEqual(['telegram:bounds-3', 'generic:bounds-2', 'telegram:bounds-1']);
    expect(await ids({ limit: 100, since: at(0), platform: 'telegram' })).toEqual([
      'telegram:bounds-5',
      'telegram:bounds-3',
      'telegram:bounds-1',
    ]);
    // Every stored event has reached the bus before ingest answered (or reaches it again on the platform's retry).
    expect(await ids({ limit: 100, since: at(0), until: at(2), status: 'published' })).toEqual(['telegram:bounds-1', 'generic:bounds-0']);
    expect(await ids({ limit: 100, since: at(0), status: 'unpublished' })).toEqual([]);
    const last = await store.listPage({ limit: 2, since: at(0), until: at(2) });
    expect(last.next).toBeUndefined();
  });

  it('refuses a cursor sent with other filters, or one it never gave', async () => {
    const store = make();
    for (let i = 0; i < 3; i++)
      await store.putIfAbsent(makeEvent({ id: `generic:cursor-${i}`, receivedAt: `2042-01-01T00:00:0${i}.000Z` }));
    const first = await store.listPage({ limit: 1, fingerprint: 'platform=generic', platform: 'generic' });
    expect(first.next).toBeDefined();
    await expect(store.listPage({ limit: 1, cursor: first.next ?? '', fingerprint: 'other' })).rejects.toThrow(BadCursorError);
    await expect(store.listPage({ limit: 1, cursor: first.next ?? '', fingerprint: 'other' })).rejects.toThrow('same filters');
    await expect(store.listPage({ limit: 1, cursor: 'bm90LWEtY3Vyc29y', fingerprint: '' })).rejects.toThrow(BadCursorError);
  });

  it('quarantines a payload with its reason and its bytes, readable through the entry rawRef', async () => {
    const store = make();
    const bytes = Buffer.from('{"not":"an event"', 'utf8');
    const id = await store.quarantine({ platform: 'generic', reason: 'bad', detail: { path: 'kind' }, raw: bytes, receivedAt: new Date() });
    const [entry] = await store.listQuarantine(1);
    expect(entry).toMatchObject({ id, platform: 'generic', reason: 'bad' });
    expect(JSON.parse(entry?.detail ?? 'null')).toEqual({ path: 'kind' });
    expect((await store.getRaw(entry?.rawRef ?? ''))?.equals(bytes)).toBe(true);
  });

  it('answers a quarantine entry without storage fields or its bytes', async () => {
    const store = make();
    await store.quarantine({ platform: 'generic', reason: 'bad', raw: Buffer.from('x'), receivedAt: new Date(Date.now() + 60_000) });
    const [entry] = await store.listQuarantine(1);
    expect(Object.keys(entry ?? {}).sort()).toEqual(['id', 'platform', 'rawRef', 'reason', 'receivedAt']);
  });
}

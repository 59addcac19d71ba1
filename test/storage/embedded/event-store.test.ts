import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../../functions/core/event.js';
import type { WriteTx } from '../../../functions/storage/embedded/database.js';
import { EmbeddedEventStore } from '../../../functions/storage/embedded/event-store.js';
import { listIndexPage } from '../../../functions/storage/embedded/index-listing.js';
import { makeEvent } from '../../support/events.js';
import { useEmbeddedDatabase } from '../contracts/use-embedded-database.js';

describe('EmbeddedEventStore', () => {
  const db = useEmbeddedDatabase();

  it('with an outbox, enqueues a new event in the write that stores it and says it is published', async () => {
    const enqueued: string[] = [];
    const outbox = (tx: WriteTx, event: CanonicalEvent) => {
      enqueued.push(event.id);
      tx.put(`queue/events/${event.id}`, { body: JSON.stringify(event) });
    };
    const store = new EmbeddedEventStore({ database: db.current, outbox });
    const writesBefore = db.current.stats.writes;

    expect(await store.putIfAbsent(makeEvent({ id: 'generic:outbox-1' }))).toEqual({ created: true, published: true });
    expect(db.current.get('queue/events/generic:outbox-1')).toBeDefined();
    expect(db.current.stats.writes - writesBefore).toBe(1);
    // A duplicate was enqueued with its first copy: nothing to publish, and the outbox is not called again.
    expect(await store.putIfAbsent(makeEvent({ id: 'generic:outbox-1' }))).toEqual({ created: false, published: true });
    expect(enqueued).toEqual(['generic:outbox-1']);
    expect((await store.get('generic:outbox-1'))?.published).toBe(true);
  });

  it('stores nothing when the outbox fails, so an event is never kept without its publish', async () => {
    const store = new EmbeddedEventStore({
      database: db.current,
      outbox: () => {
        throw new Error('queue full');
      },
    });
    await expect(
      store.putIfAbsent(makeEvent({ id: 'generic:outbox-fails' }), { platform: 'generic', body: Buffer.from('x'), receivedAt: new Date() }),
    ).rejects.toThrow('queue full');
    expect(await store.get('generic:outbox-fails')).toBeUndefined();
    expect(await store.getRaw('event#generic:outbox-fails')).toBeUndefined();
  });

  it('answers raw payloads that stay intact after other reads', async () => {
    const store = new EmbeddedEventStore({ database: db.current });
    await store.putIfAbsent(makeEvent({ id: 'generic:alias-a' }), {
      platform: 'generic',
      body: Buffer.from('aaaa'),
      receivedAt: new Date(),
    });
    await store.putIfAbsent(makeEvent({ id: 'generic:alias-b' }), {
      platform: 'generic',
      body: Buffer.from('bbbb'),
      receivedAt: new Date(),
    });
    const a = await store.getRaw('event#generic:alias-a');
    await store.getRaw('event#generic:alias-b');
    await store.listRecent(10);
    expect(a?.toString()).toBe('aaaa');
  });

  it('stores a payload over 2 KB gzipped, gives it back byte for byte, and reads one stored before compression', async () => {
    const store = new EmbeddedEventStore({ database: db.current });
    const body = Buffer.from(JSON.stringify({ text: 'سلام 🚀 where is my order? '.repeat(4000) }), 'utf8');
    await store.putIfAbsent(makeEvent({ id: 'generic:gzip' }), { platform: 'generic', body, receivedAt: new Date() });
    const stored = db.current.get<{ body: Uint8Array; encoding?: string }>('raw/event#generic:gzip');
    expect(stored?.encoding).toBe('gzip');
    expect(stored?.body.length).toBeLessThan(body.length / 10);
    expect((await store.getRaw('event#generic:gzip'))?.equals(body)).toBe(true);

    const legacy = Buffer.from(JSON.stringify({ text: 'stored before gzip '.repeat(500) }));
    await db.current.write((tx) =>
      tx.put('raw/event#generic:legacy', { platform: 'generic', body: legacy, receivedAt: new Date().toISOString() }),
    );
    expect((await store.getRaw('event#generic:legacy'))?.equals(legacy)).toBe(true);

    const raw = Buffer.from(`{"kind":${'"broken", '.repeat(3000)}`);
    const id = await store.quarantine({ platform: 'generic', reason: 'bad', raw, receivedAt: new Date() });
    expect(db.current.get<{ rawEncoding?: string }>(`quarantine/${id}`)?.rawEncoding).toBe('gzip');
    expect((await store.getRaw(`quarantine#${id}`))?.equals(raw)).toBe(true);
  });

  it('stops a page at its examining budget with a cursor, and loses nothing past it', async () => {
    const store = new EmbeddedEventStore({ database: db.current });
    for (let i = 0; i < 6; i++)
      await store.putIfAbsent(makeEvent({ id: `generic:budget-${i}`, receivedAt: `2050-01-01T00:00:0${i}.000Z` }));
    const load = (id: string) => db.current.get<{ event: CanonicalEvent }>(`event/${id}`)?.event;
    const options = {
      limit: 10,
      from: '2050-01-01T00:00:00.000Z',
      maxExamined: 2,
      keep: (event: CanonicalEvent) => event.id.endsWith('-1'),
    };
    const first = listIndexPage(db.current, 'idx/events/', load, options);
    expect(first.items).toEqual([]);
    expect(first.next).toBeDefined();
    const ids: string[] = [];
    let cursor = first.next;
    while (cursor) {
      const page = listIndexPage(db.current, 'idx/events/', load, { ...options, cursor });
      ids.push(...page.items.map((event) => event.id));
      cursor = page.next;
    }
    expect(ids).toEqual(['generic:budget-1']);
  });

  it('refuses a cursor of another listing', async () => {
    const store = new EmbeddedEventStore({ database: db.current });
    await store.putIfAbsent(makeEvent({ id: 'generic:other-listing-1', receivedAt: '2051-01-01T00:00:00.000Z' }));
    await store.putIfAbsent(makeEvent({ id: 'generic:other-listing-2', receivedAt: '2051-01-01T00:00:01.000Z' }));
    const page = await store.listPage({ limit: 1 });
    const load = (id: string) => id;
    expect(() => listIndexPage(db.current, 'idx/actions/', load, { limit: 1, cursor: page.next ?? '' })).toThrow('another listing');
  });
});

import { describe, expect, it } from 'vitest';
import { DynamoEventStore } from '../../../functions/storage/dynamo/event-store.js';
import { queryIndexPage } from '../../../functions/storage/dynamo/index-query.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { makeEvent } from '../../support/events.js';

describe('DynamoEventStore', () => {
  const dynamo = useEmbeddedDynamo();
  const store = () => new DynamoEventStore({ client: dynamo.current.client, tableName: dynamo.current.tableName });

  it('stores an event once: the second put of the same id reports it exists and keeps the first', async () => {
    const first = makeEvent({ id: 'generic:once', text: 'first' });
    expect(await store().putIfAbsent(first)).toEqual({ created: true, published: false });
    expect(await store().putIfAbsent({ ...first, text: 'second' })).toEqual({ created: false, published: false });
    expect((await store().get('generic:once'))?.event.text).toBe('first');
  });

  it('remembers that an event was published', async () => {
    await store().putIfAbsent(makeEvent({ id: 'generic:pub' }));
    await store().markPublished('generic:pub');
    expect(await store().putIfAbsent(makeEvent({ id: 'generic:pub' }))).toEqual({ created: false, published: true });
  });

  it('lists events newest first, up to the limit', async () => {
    for (let i = 0; i < 5; i++) {
      await store().putIfAbsent(makeEvent({ id: `generic:list-${i}`, receivedAt: `2030-01-01T00:00:0${i}.000Z` }));
    }
    const listed = await store().listRecent(3);
    expect(listed.map((event) => event.id)).toEqual(['generic:list-4', 'generic:list-3', 'generic:list-2']);
  });

  it('keeps raw payloads byte for byte and merges tags', async () => {
    const body = Buffer.from('{"ü":"\u0600"}\n', 'utf8');
    const ref = await store().putRaw('generic', body, new Date());
    expect((await store().getRaw(ref))?.equals(body)).toBe(true);
    await store().putIfAbsent(makeEvent({ id: 'generic:tags' }));
    await store().addTags('generic:tags', ['vip']);
    await store().addTags('generic:tags', ['vip', 'complaint']);
    expect((await store().get('generic:tags'))?.event.tags).toEqual(['vip', 'complaint']);
  });

  it('quarantines a payload with its reason', async () => {
    const id = await store().quarantine({
      platform: 'generic',
      reason: 'bad',
      detail: { path: 'kind' },
      rawRef: 'raw:x',
      receivedAt: new Date(),
    });
    const [entry] = await store().listQuarantine(1);
    expect(entry).toMatchObject({ id, platform: 'generic', reason: 'bad', rawRef: 'raw:x' });
    expect(JSON.parse(entry?.detail ?? 'null')).toEqual({ path: 'kind' });
  });

  it('answers a quarantine entry without the table keys or ttl', async () => {
    await store().quarantine({ platform: 'generic', reason: 'bad', rawRef: 'raw:y', receivedAt: new Date() });
    const [entry] = await store().listQuarantine(1);
    expect(Object.keys(entry ?? {}).sort()).toEqual(['id', 'platform', 'rawRef', 'reason', 'receivedAt']);
  });

  it('pages a filtered listing with a cursor: every match once, in order, whatever the page cut', async () => {
    const kinds = ['message', 'comment', 'comment'] as const;
    for (let i = 0; i < 30; i++) {
      const at = `2040-01-01T00:00:${String(i).padStart(2, '0')}.000Z`;
      await store().putIfAbsent(makeEvent({ id: `generic:page-${i}`, kind: kinds[i % 3], receivedAt: at }));
    }
    const expected = Array.from({ length: 30 }, (_, i) => 29 - i)
      .filter((i) => i % 3 === 0)
      .map((i) => `generic:page-${i}`);
    for (const limit of [1, 3, 4, 10]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store().listPage({
          limit,
          kind: 'message',
          since: '2040-01-01T00:00:00.000Z',
          fingerprint: 'kind=message',
          ...(cursor ? { cursor } : {}),
        });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items.map((event) => event.id));
        cursor = page.next;
      } while (cursor);
      expect(seen, `limit ${limit}`).toEqual(expected);
    }
    // A page that reads its examining budget stops early with a cursor, and nothing is lost past it.
    const { client, tableName } = dynamo.current;
    const first = await queryIndexPage<{ event: { id: string } }>(client, tableName, 'EVENTS', {
      limit: 10,
      from: '2040-01-01T00:00:00.000Z',
      maxExamined: 2,
      keep: ({ event }) => event.id.endsWith('-27'),
    });
    expect(first.items).toEqual([]);
    expect(first.next).toBeDefined();
    const rest = await queryIndexPage<{ event: { id: string } }>(client, tableName, 'EVENTS', {
      limit: 10,
      from: '2040-01-01T00:00:00.000Z',
      maxExamined: 2,
      keep: ({ event }) => event.id.endsWith('-27'),
      ...(first.next ? { cursor: first.next } : {}),
    });
    expect(rest.items.map((item) => item.event.id)).toEqual(['generic:page-27']);
    await expect(store().listPage({ limit: 1, cursor: first.next ?? '', fingerprint: 'other' })).rejects.toThrow('same filters');
  });
});

import { randomBytes } from 'node:crypto';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoEventStore } from '../../../functions/storage/dynamo/event-store.js';
import { toItem } from '../../../functions/storage/dynamo/item.js';
import { queryListingPage } from '../../../functions/storage/dynamo/sharded-listing.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { countDynamoCalls } from '../../support/dynamo-calls.js';
import { makeEvent } from '../../support/events.js';

describe('DynamoEventStore', () => {
  const dynamo = useEmbeddedDynamo();
  const store = () => new DynamoEventStore({ client: dynamo.current.client, tableName: dynamo.current.tableName });
  const item = async (pk: string, sk: string) =>
    (await dynamo.current.client.send(new GetItemCommand({ TableName: dynamo.current.tableName, Key: toItem({ pk, sk }) }))).Item;

  it('stores an event once: the second put of the same id reports it exists and keeps the first', async () => {
    const first = makeEvent({ id: 'generic:once', text: 'first' });
    expect(await store().putIfAbsent(first)).toEqual({ created: true, published: false });
    expect(await store().putIfAbsent({ ...first, text: 'second' })).toEqual({ created: false, published: false });
    expect((await store().get('generic:once'))?.event.text).toBe('first');
  });

  it('never reports an event published: ingest publishes a duplicate again, and evaluation reads its decision', async () => {
    await store().putIfAbsent(makeEvent({ id: 'generic:pub' }));
    expect(await store().putIfAbsent(makeEvent({ id: 'generic:pub' }))).toEqual({ created: false, published: false });
    expect(await store().get('generic:pub')).toEqual({ event: makeEvent({ id: 'generic:pub' }) });
  });

  it('reads the published flag of records from before, and lists them by it', async () => {
    const { client, tableName } = dynamo.current;
    const old = makeEvent({ id: 'generic:old-unpublished', receivedAt: '2020-01-01T00:00:00.000Z' });
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: toItem({
          pk: `EVENT#${old.id}`,
          sk: 'EVENT',
          gsi1pk: 'EVENTS',
          gsi1sk: `${old.receivedAt}#${old.id}`,
          event: old,
          published: false,
        }),
      }),
    );
    await store().putIfAbsent(makeEvent({ id: 'generic:new', receivedAt: '2020-01-01T00:00:01.000Z' }));
    expect((await store().get(old.id))?.published).toBe(false);
    const listed = async (status: string) =>
      (await store().listPage({ limit: 10, since: '2020-01-01T00:00:00.000Z', until: '2020-01-02T00:00:00.000Z', status })).items.map(
        (event) => event.id,
      );
    expect(await listed('unpublished')).toEqual([old.id]);
    expect(await listed('published')).toEqual(['generic:new']);
  });

  it('lists events newest first, up to the limit', async () => {
    for (let i = 0; i < 5; i++) {
      await store().putIfAbsent(makeEvent({ id: `generic:list-${i}`, receivedAt: `2030-01-01T00:00:0${i}.000Z` }));
    }
    const listed = await store().listRecent(3);
    expect(listed.map((event) => event.id)).toEqual(['generic:list-4', 'generic:list-3', 'generic:list-2']);
  });

  it('keeps the raw payload with the event in one write, byte for byte, and reads older refs too', async () => {
    const { client, tableName } = dynamo.current;
    const calls = countDynamoCalls(client);
    const body = Buffer.from('{"ü":"\u0600"}\n', 'utf8');
    await store().putIfAbsent(makeEvent({ id: 'generic:raw' }), { platform: 'generic', body, receivedAt: new Date() });
    expect(calls.names).toEqual(['PutItemCommand']);
    calls.stop();
    expect((await store().getRaw('event#generic:raw'))?.equals(body)).toBe(true);
    expect(await store().getRaw('event#generic:missing')).toBeUndefined();
    // A ref from before: the payload in its own content-addressed item.
    await client.send(new PutItemCommand({ TableName: tableName, Item: toItem({ pk: 'RAW#raw:generic:abc', sk: 'RAW', body }) }));
    expect((await store().getRaw('raw:generic:abc'))?.equals(body)).toBe(true);
  });

  it('keeps a payload too large to share the event item (one gzip cannot shrink) in an item of its own', async () => {
    const body = randomBytes(256 * 1024);
    const event = makeEvent({ id: 'generic:raw-large', text: 'x'.repeat(90_000) });
    await store().putIfAbsent(event, { platform: 'generic', body, receivedAt: new Date() });
    expect((await store().getRaw('event#generic:raw-large'))?.equals(body)).toBe(true);
    expect((await store().get(event.id))?.event.text).toBe(event.text);
    const apart = await item('RAW#event#generic:raw-large', 'RAW');
    expect(apart?.body?.B?.length).toBe(body.length);
    expect(apart?.encoding).toBeUndefined();
  });

  it('stores a payload over 2 KB gzipped with its event, and gives it back byte for byte', async () => {
    const body = Buffer.from(JSON.stringify({ text: 'سلام 🚀 where is my order? '.repeat(4000) }), 'utf8');
    await store().putIfAbsent(makeEvent({ id: 'generic:raw-gzip' }), { platform: 'generic', body, receivedAt: new Date() });
    const stored = (await item('EVENT#generic:raw-gzip', 'EVENT'))?.raw?.M;
    expect(stored?.encoding?.S).toBe('gzip');
    expect(stored?.body?.B?.length).toBeLessThan(body.length / 10);
    expect((await store().getRaw('event#generic:raw-gzip'))?.equals(body)).toBe(true);
  });

  it('reads payloads stored before compression, with their event and apart, as they are', async () => {
    const { client, tableName } = dynamo.current;
    const body = Buffer.from(JSON.stringify({ text: 'stored before gzip '.repeat(500) }));
    const event = makeEvent({ id: 'generic:raw-legacy' });
    const inline = { pk: `EVENT#${event.id}`, sk: 'EVENT', event, raw: { platform: 'generic', body, receivedAt: event.receivedAt } };
    await client.send(new PutItemCommand({ TableName: tableName, Item: toItem(inline) }));
    const apartEvent = makeEvent({ id: 'generic:raw-legacy-apart' });
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: toItem({ pk: `EVENT#${apartEvent.id}`, sk: 'EVENT', event: apartEvent, rawApart: true }),
      }),
    );
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: toItem({ pk: `RAW#event#${apartEvent.id}`, sk: 'RAW', platform: 'generic', body }),
      }),
    );
    expect((await store().getRaw(`event#${event.id}`))?.equals(body)).toBe(true);
    expect((await store().getRaw(`event#${apartEvent.id}`))?.equals(body)).toBe(true);
  });

  it('quarantines a large payload gzipped, and gives it back byte for byte', async () => {
    const raw = Buffer.from(`{"kind":${'"broken", '.repeat(3000)}`);
    const id = await store().quarantine({ platform: 'generic', reason: 'bad', raw, receivedAt: new Date() });
    const stored = await item(`QUARANTINE#${id}`, 'QUARANTINE');
    expect(stored?.rawEncoding?.S).toBe('gzip');
    expect(stored?.raw?.B?.length).toBeLessThan(raw.length / 10);
    expect((await store().getRaw(`quarantine#${id}`))?.equals(raw)).toBe(true);
  });

  it('adds tags to a set on the event, after those it came with, each once', async () => {
    await store().putIfAbsent(makeEvent({ id: 'generic:tags', tags: ['from-rule'] }));
    await store().addTags('generic:tags', ['vip']);
    await store().addTags('generic:tags', ['vip', 'complaint']);
    expect((await store().get('generic:tags'))?.event.tags).toEqual(['from-rule', 'vip', 'complaint']);
    expect((await store().listRecent(10)).find((event) => event.id === 'generic:tags')?.tags).toEqual(['from-rule', 'vip', 'complaint']);
    await expect(store().addTags('generic:no-such-event', ['vip'])).rejects.toThrow('no event generic:no-such-event');
  });

  it('quarantines a payload with its reason and its bytes, in one write', async () => {
    const calls = countDynamoCalls(dynamo.current.client);
    const raw = Buffer.from('{"kind":');
    const id = await store().quarantine({ platform: 'generic', reason: 'bad', detail: { path: 'kind' }, raw, receivedAt: new Date() });
    expect(calls.names).toEqual(['PutItemCommand']);
    calls.stop();
    const [entry] = await store().listQuarantine(1);
    expect(entry).toMatchObject({ id, platform: 'generic', reason: 'bad', rawRef: `quarantine#${id}` });
    expect(JSON.parse(entry?.detail ?? 'null')).toEqual({ path: 'kind' });
    expect((await store().getRaw(entry?.rawRef ?? ''))?.equals(raw)).toBe(true);
  });

  it('answers a quarantine entry without the table keys, ttl or bytes', async () => {
    await store().quarantine({ platform: 'generic', reason: 'bad', raw: Buffer.from('x'), receivedAt: new Date() });
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
    const first = await queryListingPage<{ event: { id: string } }>(
      client,
      tableName,
      { name: 'EVENTS', legacy: 'EVENTS' },
      {
        limit: 10,
        from: '2040-01-01T00:00:00.000Z',
        maxExamined: 2,
        keep: ({ event }) => event.id.endsWith('-27'),
      },
    );
    expect(first.items).toEqual([]);
    expect(first.next).toBeDefined();
    const rest = await queryListingPage<{ event: { id: string } }>(
      client,
      tableName,
      { name: 'EVENTS', legacy: 'EVENTS' },
      {
        limit: 10,
        from: '2040-01-01T00:00:00.000Z',
        maxExamined: 2,
        keep: ({ event }) => event.id.endsWith('-27'),
        ...(first.next ? { cursor: first.next } : {}),
      },
    );
    expect(rest.items.map((item) => item.event.id)).toEqual(['generic:page-27']);
    await expect(store().listPage({ limit: 1, cursor: first.next ?? '', fingerprint: 'other' })).rejects.toThrow('same filters');
  });
});

import { describe, expect, it } from 'vitest';
import { DynamoEventStore } from '../../../functions/storage/dynamo/event-store.js';
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
});

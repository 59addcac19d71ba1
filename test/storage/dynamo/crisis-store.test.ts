import { describe, expect, it } from 'vitest';
import { DynamoCrisisStore } from '../../../functions/storage/dynamo/crisis-store.js';
import { crisisStoreContract } from '../../crisis/support/store-contracts.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { countDynamoCalls } from '../../support/dynamo-calls.js';

describe('DynamoCrisisStore (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  crisisStoreContract(() => new DynamoCrisisStore({ client: dynamo.current.client, tableName: dynamo.current.tableName }));

  it('reads the switch for decisions at most once in five seconds per container, and at once after a change made here', async () => {
    let now = 1_000_000;
    const store = new DynamoCrisisStore({ client: dynamo.current.client, tableName: dynamo.current.tableName, now: () => now });
    const elsewhere = new DynamoCrisisStore({ client: dynamo.current.client, tableName: dynamo.current.tableName });
    const calls = countDynamoCalls(dynamo.current.client);
    const first = await store.getRecent();
    await Promise.all([store.getRecent(), store.getRecent()]);
    expect(calls.reads()).toEqual(['GetItemCommand']);

    // Another function switches it on: decisions here see it once the five seconds are over; `get` sees it at once.
    expect(await elsewhere.set({ on: true, since: 'now', by: 'test', why: 'drill' }, first.version)).toBe(true);
    now += 4_000;
    expect((await store.getRecent()).on).toBe(first.on);
    expect((await store.get()).on).toBe(true);
    now += 1_000;
    expect((await store.getRecent()).on).toBe(true);

    // A change made through this store is seen by its next decision.
    const on = await store.get();
    expect(await store.set({ on: false, since: 'later', by: 'test', why: 'over' }, on.version)).toBe(true);
    expect((await store.getRecent()).on).toBe(false);
    calls.stop();
  });
});

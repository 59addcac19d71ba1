import { describe, expect, it } from 'vitest';
import { observeSpike } from '../../functions/crisis/spike.js';
import { DynamoCounterStore } from '../../functions/storage/dynamo/counter-store.js';
import { DynamoEpisodeStore, HEARTBEAT_SHARDS } from '../../functions/storage/dynamo/episode-store.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';
import { countDynamoCalls } from '../support/dynamo-calls.js';
import { makeEvent } from '../support/events.js';

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'TransactWriteItemsCommand']);

describe('a spike rule at a high match rate (DynamoDB adapters on dynalite)', () => {
  const dynamo = useEmbeddedDynamo();

  it('spreads its writes: no item takes more than a quarter of a write per matching event, the episode item none after opening', async () => {
    // Prepare: one rule matching every event, 400 events in 30 s, one container's stores.
    const T0 = Date.parse('2031-03-04T05:06:00.000Z');
    let clock = T0;
    const table = { client: dynamo.current.client, tableName: dynamo.current.tableName };
    const deps = { counters: new DynamoCounterStore(table), episodes: new DynamoEpisodeStore({ ...table, clock: () => clock }) };
    const spec = { atLeast: 20, windowMs: 600_000, quietMs: 900_000 };
    const escalate = { type: 'escalate', ruleId: 'storm', index: 0, params: { target: 'oncall' } };
    const calls = countDynamoCalls(dynamo.current.client);
    const events = 400;

    // Act
    let fired = 0;
    for (let i = 0; i < events; i++) {
      clock = T0 + i * 75;
      const observed = await observeSpike('storm', spec, makeEvent({ id: `generic:storm-${i}` }), [escalate], new Date(clock), deps);
      if (observed.fire) fired += 1;
    }
    calls.stop();

    // Assess: writes per partition key (every item here has a partition key of its own). The digest's ring takes at
    // most 2 writes for each shard's first 5 samples of the minute and every 50th after: 96 here, however many events.
    const writes = new Map<string, number>();
    for (const call of calls.calls.filter((entry) => WRITES.has(entry.command)))
      for (const key of call.keys) writes.set(key, (writes.get(key) ?? 0) + 1);
    const busiest = Math.max(...writes.values());
    expect(fired).toBe(1);
    expect(busiest, JSON.stringify([...writes].sort((a, b) => b[1] - a[1]).slice(0, 5))).toBeLessThanOrEqual(events / 4);
    // The 4–5 KB episode item: written once, when it opened; the heartbeats take the events.
    expect(writes.get('SPIKE#storm')).toBe(1);
    expect([...writes.keys()].filter((key) => key.startsWith('SPIKEHB#storm#')).length).toBe(HEARTBEAT_SHARDS);
    // Its reads: at most one per 2 s of the container's clock (30 s here), not one per event.
    const episodeReads = calls.calls.filter((entry) => entry.command === 'GetItemCommand' && entry.keys.includes('SPIKE#storm')).length;
    expect(episodeReads).toBeLessThanOrEqual(30 / 2 + 5);
    // Nothing is lost by the spreading: the episode counts every event, from the 20 that opened it on.
    const [open] = await deps.episodes.listOpen().then((all) => all.filter((episode) => episode.ruleId === 'storm'));
    expect(open).toMatchObject({ count: events, lastEventAt: new Date(T0 + (events - 1) * 75).toISOString() });
  }, 600_000);
});

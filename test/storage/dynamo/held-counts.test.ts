import { describe, expect, it } from 'vitest';
import type { StoredDecision } from '../../../functions/core/ports.js';
import { epochMinute } from '../../../functions/crisis/minutes.js';
import { observeSpike, type SpikeSpec, spikeCounterKey } from '../../../functions/crisis/spike.js';
import { DynamoCounterStore } from '../../../functions/storage/dynamo/counter-store.js';
import { DynamoDecisionStore } from '../../../functions/storage/dynamo/decision-store.js';
import { DynamoEpisodeStore } from '../../../functions/storage/dynamo/episode-store.js';
import { HeldCounts, type HeldWrite } from '../../../functions/storage/dynamo/held-counts.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { countDynamoCalls } from '../../support/dynamo-calls.js';
import { makeEvent } from '../../support/events.js';

const NOW = new Date('2026-11-22T10:00:30.000Z');
const MINUTE = epochMinute(NOW);
const SPEC: SpikeSpec = { atLeast: 3, windowMs: 5 * 60_000, quietMs: 10 * 60_000 };

describe('HeldCounts', () => {
  /** A held write named `name`, recording each group it is asked to write by the names in it. */
  const write = (mergeKey: string, name: string, written: string[][], fail = false): HeldWrite => {
    const held: HeldWrite = {
      kind: 'test',
      mergeKey,
      writeMerged: async (group) => {
        written.push(group.map((each) => names.get(each) ?? '?'));
        if (fail) throw new Error(`${mergeKey} refused`);
      },
    };
    names.set(held, name);
    return held;
  };
  const names = new Map<HeldWrite, string>();

  it('writes what it holds once per key, in the order held, and holds nothing after', async () => {
    const held = new HeldCounts();
    const written: string[][] = [];
    held.hold(write('a', 'a1', written));
    held.hold(write('b', 'b1', written));
    held.hold(write('a', 'a2', written));
    expect(held.held).toHaveLength(3);
    await held.settle();
    expect(written).toEqual([['a1', 'a2'], ['b1']]);
    expect(held.held).toEqual([]);
    await held.settle();
    expect(written).toHaveLength(2);
  });

  it('tries every key when one fails, says how many failed, and never writes the failed ones again', async () => {
    const held = new HeldCounts();
    const written: string[][] = [];
    held.hold(write('bad', 'bad1', written, true));
    held.hold(write('good', 'good1', written));
    held.hold(write('bad', 'bad2', written, true));
    await expect(held.settle()).rejects.toThrow('1 of 2 held count writes failed (3 counts held)');
    expect(written).toEqual([['bad1', 'bad2'], ['good1']]);
    await held.settle();
    expect(written).toHaveLength(2);
  });
});

describe('counts held until the batch settles (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();

  /** The stores of one evaluate container, sharing its held counts, and a reader that sees only the table. */
  const container = () => {
    const table = { client: dynamo.current.client, tableName: dynamo.current.tableName };
    const held = new HeldCounts();
    return {
      decisions: new DynamoDecisionStore({ ...table, held }),
      counters: new DynamoCounterStore({ ...table, held }),
      episodes: new DynamoEpisodeStore({ ...table, held }),
      table: { counters: new DynamoCounterStore(table), episodes: new DynamoEpisodeStore(table) },
    };
  };
  const evaluate = (stores: ReturnType<typeof container>, ruleId: string, eventId: string) =>
    stores.decisions.decideOnce(eventId, async (): Promise<StoredDecision> => {
      const event = makeEvent({ id: eventId, text: 'outage' });
      const observed = await observeSpike(ruleId, SPEC, event, [], NOW, stores);
      return { eventId, rules: observed.fire ? [ruleId] : [], commands: [], decidedAt: NOW.toISOString() };
    });

  it("writes one rule's minute counts of a batch as one ADD, and its later events see the earlier ones before that", async () => {
    const stores = container();
    const key = spikeCounterKey('held-minute');
    const calls = countDynamoCalls(dynamo.current.client);
    try {
      const fired: boolean[] = [];
      for (const id of ['generic:hm-1', 'generic:hm-2', 'generic:hm-3', 'generic:hm-4']) {
        const kept = await evaluate(stores, 'held-minute', id);
        fired.push(kept.decision.rules.length > 0);
      }
      // The third event saw the two held before it: the spike opened on the batch's count (the fourth only beats).
      expect(fired).toEqual([false, false, true, false]);
      expect((await stores.counters.buckets(key, MINUTE - 5, MINUTE, NOW)).get(MINUTE)).toBe(4);
      expect(await stores.table.counters.buckets(key, MINUTE - 5, MINUTE, NOW)).toEqual(new Map());
      const countsWritten = () =>
        calls.calls.filter((call) => call.command === 'UpdateItemCommand' && call.keys[0]?.startsWith(`COUNTER#${key}#`));
      expect(countsWritten()).toHaveLength(0);

      await stores.decisions.settle();
      expect(countsWritten()).toHaveLength(1);
      expect((await stores.table.counters.buckets(key, MINUTE - 5, MINUTE, NOW)).get(MINUTE)).toBe(4);
      // Each event took its own place in the shard's count: the first SAMPLES_PER_MINUTE reach the ring, latest first.
      expect((await stores.table.counters.samples(key, MINUTE - 5, MINUTE, NOW, 10)).map((sample) => sample.id)).toEqual([
        'generic:hm-4',
        'generic:hm-3',
        'generic:hm-2',
        'generic:hm-1',
      ]);
      expect((await stores.counters.buckets(key, MINUTE - 5, MINUTE, NOW)).get(MINUTE)).toBe(4);
    } finally {
      calls.stop();
    }
  });

  it("writes an open episode's heartbeats of a batch as one, the count grown by how many and the last event the latest", async () => {
    const stores = container();
    for (const id of ['generic:hb-1', 'generic:hb-2', 'generic:hb-3']) await evaluate(stores, 'held-beat', id);
    await stores.decisions.settle();
    const opened = await stores.table.episodes.current('held-beat');
    expect(opened?.status).toBe('open');

    const calls = countDynamoCalls(dynamo.current.client);
    try {
      for (const id of ['generic:hb-4', 'generic:hb-5', 'generic:hb-6']) await evaluate(stores, 'held-beat', id);
      const heldView = await stores.episodes.current('held-beat');
      expect(heldView?.count).toBe(opened!.count + 3);
      expect((await stores.table.episodes.current('held-beat'))?.count).toBe(opened!.count);
      const beatsWritten = () =>
        calls.calls.filter((call) => call.command === 'UpdateItemCommand' && call.keys[0]?.startsWith('SPIKEHB#held-beat#'));
      expect(beatsWritten()).toHaveLength(0);

      await stores.decisions.settle();
      expect(beatsWritten()).toHaveLength(1);
      expect(await stores.table.episodes.current('held-beat')).toMatchObject({
        count: opened!.count + 3,
        lastEventAt: heldView!.lastEventAt,
      });
    } finally {
      calls.stop();
    }
  });

  it('holds nothing for an evaluation whose decision is not the one kept', async () => {
    const stores = container();
    await stores.decisions.putIfAbsent({ eventId: 'generic:hk-1', rules: [], commands: [], decidedAt: NOW.toISOString() });
    const kept = await evaluate(stores, 'held-kept', 'generic:hk-1');
    expect(kept.created).toBe(false);
    await stores.decisions.settle();
    expect(await stores.table.counters.buckets(spikeCounterKey('held-kept'), MINUTE - 5, MINUTE, NOW)).toEqual(new Map());
  });
});

import { expect, it } from 'vitest';
import type { DecisionStore, StoredDecision } from '../../../functions/core/ports.js';
import { epochMinute } from '../../../functions/crisis/minutes.js';
import type { CounterStore, EpisodeStore } from '../../../functions/crisis/ports.js';
import { observeSpike, type SpikeSpec, spikeCounterKey } from '../../../functions/crisis/spike.js';
import { eventSample } from '../../../functions/escalation/escalation.js';
import { makeEvent } from '../../support/events.js';

export interface DecidedCountsStores {
  decisions: DecisionStore & Required<Pick<DecisionStore, 'decideOnce'>>;
  counters: CounterStore;
  episodes: EpisodeStore;
}

const NOW = new Date('2026-11-22T10:00:30.000Z');
const SPEC: SpikeSpec = { atLeast: 3, windowMs: 5 * 60_000, quietMs: 10 * 60_000 };

/**
 * What a decision store and the counter and episode stores beside it must do together, run against the embedded
 * stores (lmdb) and the DynamoDB ones (dynalite): the counts an evaluation makes (a volume rule's minute count, an
 * open episode's heartbeat) are written with its decision, and only when that decision is the one kept, so the same
 * event evaluated twice (a redelivery, two workers on one message) counts once. Each test uses its own rule id.
 */
export function decidedCountsContract(make: () => DecidedCountsStores): void {
  /** One evaluation of `eventId` by the volume rule `ruleId`, as the crisis rule set makes it. */
  const evaluate = (stores: DecidedCountsStores, ruleId: string, eventId: string, seen: string[] = []) =>
    stores.decisions.decideOnce(eventId, async (): Promise<StoredDecision> => {
      const event = makeEvent({ id: eventId, text: 'outage' });
      const observed = await observeSpike(ruleId, SPEC, event, [], NOW, stores);
      seen.push(observed.fire ? 'fire' : observed.reason);
      return { eventId, rules: observed.fire ? [ruleId] : [], commands: [], decidedAt: NOW.toISOString() };
    });
  const counted = async (stores: DecidedCountsStores, ruleId: string) => {
    const minute = epochMinute(NOW);
    return (await stores.counters.buckets(spikeCounterKey(ruleId), minute - 5, minute, NOW)).get(minute) ?? 0;
  };

  it('counts an event evaluated again after its decision was kept once', async () => {
    const stores = make();
    expect((await evaluate(stores, 'dc-again', 'generic:dc-a1')).created).toBe(true);
    expect((await evaluate(stores, 'dc-again', 'generic:dc-a1')).created).toBe(false);
    expect((await evaluate(make(), 'dc-again', 'generic:dc-a1')).created).toBe(false);
    expect(await counted(stores, 'dc-again')).toBe(1);
  });

  it('counts an event two workers evaluate at once once, and opens the spike on the count of distinct events', async () => {
    const stores = make();
    const seen: string[] = [];
    for (const id of ['generic:dc-b1', 'generic:dc-b2', 'generic:dc-b3']) {
      const kept = await Promise.all([evaluate(stores, 'dc-both', id, seen), evaluate(make(), 'dc-both', id, seen)]);
      expect(kept.filter((each) => each.created)).toHaveLength(1);
    }
    expect(await counted(stores, 'dc-both')).toBe(3);
    // Only the third distinct event may see three in the window, however many times each was evaluated.
    expect((await stores.episodes.current('dc-both'))?.status).toBe('open');
    expect(seen.slice(0, 4).every((reason) => reason !== 'fire')).toBe(true);
  });

  it('sees its own count and sample inside the evaluation, and writes neither when the decision is not the one kept', async () => {
    const stores = make();
    await stores.decisions.putIfAbsent({ eventId: 'generic:dc-c1', rules: [], commands: [], decidedAt: NOW.toISOString() });
    const key = spikeCounterKey('dc-inside');
    const minute = epochMinute(NOW);
    const kept = await stores.decisions.decideOnce('generic:dc-c1', async () => {
      await stores.counters.increment(key, NOW, 600_000, eventSample(makeEvent({ id: 'generic:dc-c1', text: 'outage' })));
      expect((await stores.counters.buckets(key, minute, minute, NOW)).get(minute)).toBe(1);
      expect((await stores.counters.samples(key, minute, minute, NOW, 5)).map((sample) => sample.id)).toEqual(['generic:dc-c1']);
      return { eventId: 'generic:dc-c1', rules: ['again'], commands: [], decidedAt: NOW.toISOString() };
    });
    expect(kept).toMatchObject({ created: false, decision: { rules: [] } });
    expect(await stores.counters.buckets(key, minute, minute, NOW)).toEqual(new Map());
    expect(await stores.counters.samples(key, minute, minute, NOW, 5)).toEqual([]);
  });

  it("beats an open episode's heartbeat once for an event evaluated twice", async () => {
    const stores = make();
    for (const id of ['generic:dc-d1', 'generic:dc-d2', 'generic:dc-d3']) await evaluate(stores, 'dc-beat', id);
    const opened = await stores.episodes.current('dc-beat');
    expect(opened).toMatchObject({ status: 'open', count: 3 });
    await evaluate(stores, 'dc-beat', 'generic:dc-d4');
    await evaluate(stores, 'dc-beat', 'generic:dc-d4');
    await Promise.all([evaluate(stores, 'dc-beat', 'generic:dc-d5'), evaluate(make(), 'dc-beat', 'generic:dc-d5')]);
    expect((await stores.episodes.current('dc-beat'))?.count).toBe(5);
    expect(await counted(stores, 'dc-beat')).toBe(5);
  });
}

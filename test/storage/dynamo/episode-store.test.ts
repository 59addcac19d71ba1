import { describe, expect, it } from 'vitest';
import type { SpikeEpisode } from '../../../functions/crisis/ports.js';
import { DynamoEpisodeStore } from '../../../functions/storage/dynamo/episode-store.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { countDynamoCalls } from '../../support/dynamo-calls.js';
import { makeEvent } from '../../support/events.js';

describe('DynamoEpisodeStore heartbeats', () => {
  const dynamo = useEmbeddedDynamo();
  const T0 = Date.parse('2026-11-22T10:00:00.000Z');
  const episode = (ruleId: string): SpikeEpisode => ({
    ruleId,
    incident: `spike:${ruleId}:${new Date(T0).toISOString()}`,
    status: 'open',
    startedAt: new Date(T0).toISOString(),
    lastEventAt: new Date(T0).toISOString(),
    count: 1,
    quietMs: 600_000,
    firstEvent: makeEvent({ id: `generic:${ruleId}` }),
    actions: [],
  });

  it("writes once per touch when a batch's events share a time, and never moves the last event back", async () => {
    const store = new DynamoEpisodeStore(dynamo.current);
    const opened = episode('hb-same');
    expect(await store.open(opened)).toBe(true);
    const later = new Date(T0 + 5_000);
    const calls = countDynamoCalls(dynamo.current.client);
    await Promise.all(Array.from({ length: 10 }, () => store.touch('hb-same', opened.incident, later)));
    calls.stop();
    expect(calls.names).toEqual(Array.from({ length: 10 }, () => 'UpdateItemCommand'));
    expect(await store.current('hb-same')).toMatchObject({ count: 11, lastEventAt: later.toISOString() });
    // An event from before the latest (batches come in any order) counts, and leaves the time where it was.
    await store.touch('hb-same', opened.incident, new Date(T0 + 1_000));
    expect(await store.current('hb-same')).toMatchObject({ count: 12, lastEventAt: later.toISOString() });
  });
});

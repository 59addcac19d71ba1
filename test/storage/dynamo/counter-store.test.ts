import { randomUUID } from 'node:crypto';
import { describe } from 'vitest';
import { DynamoCounterStore } from '../../../functions/storage/dynamo/counter-store.js';
import { DynamoEpisodeStore } from '../../../functions/storage/dynamo/episode-store.js';
import { counterAndEpisodeContract } from '../../crisis/support/store-contracts.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';

describe('DynamoCounterStore and DynamoEpisodeStore (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  counterAndEpisodeContract(() => {
    const table = { client: dynamo.current.client, tableName: dynamo.current.tableName };
    const suffix = randomUUID().slice(0, 8);
    const counters = new DynamoCounterStore(table);
    const episodes = new DynamoEpisodeStore(table);
    return {
      counters: {
        increment: (key, at, retain, sample) => counters.increment(`${key}-${suffix}`, at, retain, sample),
        buckets: (key, f, t, now) => counters.buckets(`${key}-${suffix}`, f, t, now),
        samples: (key, f, t, now, limit) => counters.samples(`${key}-${suffix}`, f, t, now, limit),
      },
      episodes,
    };
  });
});

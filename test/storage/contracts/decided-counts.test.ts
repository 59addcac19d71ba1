import { describe } from 'vitest';
import { overriding } from '../../../functions/app/overriding.js';
import { dynamoCrisisStores } from '../../../functions/storage/dynamo/crisis-stores.js';
import { DynamoDecisionStore } from '../../../functions/storage/dynamo/decision-store.js';
import { HeldCounts } from '../../../functions/storage/dynamo/held-counts.js';
import { embeddedCrisisStores } from '../../../functions/storage/embedded/crisis-stores.js';
import { EmbeddedDecisionStore } from '../../../functions/storage/embedded/decision-store.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { decidedCountsContract } from './decided-counts-contract.js';
import { useEmbeddedDatabase } from './use-embedded-database.js';

describe('counts written with the decision: embedded (lmdb)', () => {
  const db = useEmbeddedDatabase();
  decidedCountsContract(() => {
    const { counters, episodes } = embeddedCrisisStores(db.current);
    return { decisions: new EmbeddedDecisionStore({ database: db.current }), counters, episodes };
  });
});

describe('counts written with the decision: DynamoDB (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  decidedCountsContract(() => {
    const table = { client: dynamo.current.client, tableName: dynamo.current.tableName };
    const { counters, episodes } = dynamoCrisisStores(table);
    return { decisions: new DynamoDecisionStore(table), counters, episodes };
  });
});

describe('counts written with the decision: DynamoDB (dynalite), held until each evaluation settles', () => {
  const dynamo = useEmbeddedDynamo();
  decidedCountsContract(() => {
    const table = { client: dynamo.current.client, tableName: dynamo.current.tableName, held: new HeldCounts() };
    const { counters, episodes } = dynamoCrisisStores(table);
    const decisions = new DynamoDecisionStore(table);
    // Each worker settles after each evaluation, as the evaluate handler does after a batch of one.
    const settling: typeof decisions = overriding(decisions, {
      decideOnce: () => async (eventId, decide) => {
        try {
          return await decisions.decideOnce(eventId, decide);
        } finally {
          await decisions.settle();
        }
      },
    });
    return { decisions: settling, counters, episodes };
  });
});

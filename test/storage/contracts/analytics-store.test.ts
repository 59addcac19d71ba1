import { describe } from 'vitest';
import { memoryAnalyticsStore } from '../../../functions/analytics/memory/analytics-store.js';
import { DynamoAnalyticsStore } from '../../../functions/storage/dynamo/analytics-store.js';
import { EmbeddedAnalyticsStore } from '../../../functions/storage/embedded/analytics-store.js';
import { analyticsOwnerContract, analyticsStoreContract } from '../../analytics/support/analytics-store-contract.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { useEmbeddedDatabase } from './use-embedded-database.js';

describe('AnalyticsStore contract: in memory', () => {
  const store = memoryAnalyticsStore();
  analyticsStoreContract(() => store);
  analyticsOwnerContract(() => store);
});

describe('AnalyticsStore contract: embedded (lmdb)', () => {
  const db = useEmbeddedDatabase();
  analyticsStoreContract(() => new EmbeddedAnalyticsStore({ database: db.current }));
  analyticsOwnerContract(() => new EmbeddedAnalyticsStore({ database: db.current }));
});

describe('AnalyticsStore contract: DynamoDB (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  const make = () => new DynamoAnalyticsStore({ client: dynamo.current.client, tableName: dynamo.current.tableName });
  analyticsStoreContract(make);
  analyticsOwnerContract(make);
});

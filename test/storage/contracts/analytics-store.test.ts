import { describe } from 'vitest';
import { memoryAnalyticsStore } from '../../../functions/analytics/memory/analytics-store.js';
import { DynamoAnalyticsStore } from '../../../functions/storage/dynamo/analytics-store.js';
import { EmbeddedAnalyticsStore } from '../../../functions/storage/embedded/analytics-store.js';
import { analyticsStoreContract } from '../../analytics/support/analytics-store-contract.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { useEmbeddedDatabase } from './use-embedded-database.js';

describe('AnalyticsStore contract: in memory', () => {
  const store = memoryAnalyticsStore();
  analyticsStoreContract(() => store);
});

describe('AnalyticsStore contract: embedded (lmdb)', () => {
  const db = useEmbeddedDatabase();
  analyticsStoreContract(() => new EmbeddedAnalyticsStore({ database: db.current }));
});

describe('AnalyticsStore contract: DynamoDB (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  analyticsStoreContract(() => new DynamoAnalyticsStore({ client: dynamo.current.client, tableName: dynamo.current.tableName }));
});

import { describe } from 'vitest';
import { DynamoEventStore } from '../../../functions/storage/dynamo/event-store.js';
import { EmbeddedEventStore } from '../../../functions/storage/embedded/event-store.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { eventStoreContract } from './event-store-contract.js';
import { useEmbeddedDatabase } from './use-embedded-database.js';

describe('EventStore contract: embedded (lmdb)', () => {
  const db = useEmbeddedDatabase();
  eventStoreContract(() => new EmbeddedEventStore({ database: db.current }));
});

describe('EventStore contract: DynamoDB (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  eventStoreContract(() => new DynamoEventStore({ client: dynamo.current.client, tableName: dynamo.current.tableName }));
});

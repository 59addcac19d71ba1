import { describe } from 'vitest';
import { DynamoActionStore } from '../../../functions/storage/dynamo/action-store.js';
import { DynamoAuditLog } from '../../../functions/storage/dynamo/audit-log.js';
import { DynamoEventStore } from '../../../functions/storage/dynamo/event-store.js';
import { EmbeddedActionStore } from '../../../functions/storage/embedded/action-store.js';
import { EmbeddedAuditLog } from '../../../functions/storage/embedded/audit-log.js';
import { EmbeddedEventStore } from '../../../functions/storage/embedded/event-store.js';
import { actionStoreContract } from '../../core/action-store-contract.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { useEmbeddedDatabase } from './use-embedded-database.js';

describe('ActionStore contract: embedded (lmdb)', () => {
  const db = useEmbeddedDatabase();
  actionStoreContract(() => new EmbeddedActionStore({ database: db.current }), 'embedded-', {
    events: () => new EmbeddedEventStore({ database: db.current }),
    audit: (limit) => new EmbeddedAuditLog(db.current).list(limit),
  });
});

describe('ActionStore contract: DynamoDB (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  const table = () => ({ client: dynamo.current.client, tableName: dynamo.current.tableName });
  actionStoreContract(() => new DynamoActionStore(table()), 'dynamo-', {
    events: () => new DynamoEventStore(table()),
    audit: (limit) => new DynamoAuditLog(table()).list(limit),
  });
});

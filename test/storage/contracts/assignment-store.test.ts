import { describe } from 'vitest';
import { DynamoAssignmentStore } from '../../../functions/storage/dynamo/assignment-store.js';
import { EmbeddedAssignmentStore } from '../../../functions/storage/embedded/assignment-store.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { assignmentStoreContract } from './assignment-store-contract.js';
import { useEmbeddedDatabase } from './use-embedded-database.js';

describe('AssignmentStore contract: embedded (lmdb)', () => {
  const db = useEmbeddedDatabase();
  assignmentStoreContract(() => new EmbeddedAssignmentStore(db.current));
});

describe('AssignmentStore contract: DynamoDB (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  assignmentStoreContract(() => new DynamoAssignmentStore({ client: dynamo.current.client, tableName: dynamo.current.tableName }));
});

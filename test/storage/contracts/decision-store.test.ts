import { describe } from 'vitest';
import { DynamoDecisionStore } from '../../../functions/storage/dynamo/decision-store.js';
import { EmbeddedDecisionStore } from '../../../functions/storage/embedded/decision-store.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { decisionStoreContract } from './decision-store-contract.js';
import { useEmbeddedDatabase } from './use-embedded-database.js';

describe('DecisionStore contract: embedded (lmdb)', () => {
  const db = useEmbeddedDatabase();
  decisionStoreContract(() => new EmbeddedDecisionStore({ database: db.current }));
});

describe('DecisionStore contract: DynamoDB (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  decisionStoreContract(() => new DynamoDecisionStore({ client: dynamo.current.client, tableName: dynamo.current.tableName }));
});

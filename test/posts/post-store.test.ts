import { describe } from 'vitest';
import { DynamoPostStore } from '../../functions/storage/dynamo/post-store.js';
import { EmbeddedPostStore } from '../../functions/storage/embedded/post-store.js';
import { useEmbeddedDatabase } from '../storage/contracts/use-embedded-database.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';
import { postStoreContract } from './support/post-store-contract.js';

describe('PostStore contract: embedded (lmdb)', () => {
  const db = useEmbeddedDatabase();
  postStoreContract(() => new EmbeddedPostStore(db.current));
});

describe('PostStore contract: DynamoDB (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  postStoreContract(() => new DynamoPostStore({ client: dynamo.current.client, tableName: dynamo.current.tableName }));
});

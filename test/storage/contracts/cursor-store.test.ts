import { describe } from 'vitest';
import { DynamoCursorStore } from '../../../functions/storage/dynamo/cursor-store.js';
import { EmbeddedCursorStore } from '../../../functions/storage/embedded/cursor-store.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { cursorStoreContract } from './cursor-store-contract.js';
import { useEmbeddedDatabase } from './use-embedded-database.js';

describe('CursorStore contract: embedded (lmdb)', () => {
  const db = useEmbeddedDatabase();
  cursorStoreContract(() => new EmbeddedCursorStore({ database: db.current }));
});

describe('CursorStore contract: DynamoDB (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  cursorStoreContract(() => new DynamoCursorStore({ client: dynamo.current.client, tableName: dynamo.current.tableName }));
});

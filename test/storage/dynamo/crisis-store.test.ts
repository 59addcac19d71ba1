import { describe } from 'vitest';
import { DynamoCrisisStore } from '../../../functions/storage/dynamo/crisis-store.js';
import { crisisStoreContract } from '../../crisis/support/store-contracts.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';

describe('DynamoCrisisStore (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  crisisStoreContract(() => new DynamoCrisisStore({ client: dynamo.current.client, tableName: dynamo.current.tableName }));
});

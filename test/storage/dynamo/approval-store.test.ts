import { describe } from 'vitest';
import { DynamoApprovalStore } from '../../../functions/storage/dynamo/approval-store.js';
import { approvalStoreContract } from '../../crisis/support/store-contracts.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';

describe('DynamoApprovalStore (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  approvalStoreContract(() => new DynamoApprovalStore({ client: dynamo.current.client, tableName: dynamo.current.tableName }));
});

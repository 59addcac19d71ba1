import { describe } from 'vitest';
import { DynamoAuditLog } from '../../../functions/storage/dynamo/audit-log.js';
import { auditLogContract } from '../../crisis/support/store-contracts.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';

describe('DynamoAuditLog (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  auditLogContract(() => new DynamoAuditLog({ client: dynamo.current.client, tableName: dynamo.current.tableName }));
});

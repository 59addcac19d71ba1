import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ensureTable, TABLE_KEYS } from '../../../functions/storage/dynamo/table.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';

describe('ensureTable', () => {
  const dynamo = useEmbeddedDynamo();

  it('creates the single table with pk/sk and the gsi1 index, and is idempotent', async () => {
    await ensureTable(dynamo.current.client, dynamo.current.tableName);
    const { Table } = await dynamo.current.client.send(new DescribeTableCommand({ TableName: dynamo.current.tableName }));
    expect(Table?.KeySchema?.map((k) => k.AttributeName)).toEqual([TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey]);
    expect(Table?.GlobalSecondaryIndexes?.[0]?.IndexName).toBe(TABLE_KEYS.gsi1.name);
  });
});

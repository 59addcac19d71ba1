import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ensureTable, TABLE_KEYS } from '../../../functions/storage/dynamo/table.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';

describe('ensureTable', () => {
  const dynamo = useEmbeddedDynamo();

  it('creates the single table with pk/sk, gsi1 (all attributes) and gsi2 (keys only), and is idempotent', async () => {
    await ensureTable(dynamo.current.client, dynamo.current.tableName);
    const { Table } = await dynamo.current.client.send(new DescribeTableCommand({ TableName: dynamo.current.tableName }));
    expect(Table?.KeySchema?.map((k) => k.AttributeName)).toEqual([TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey]);
    expect(
      Table?.GlobalSecondaryIndexes?.map((index) => ({
        name: index.IndexName,
        keys: index.KeySchema?.map((k) => k.AttributeName),
        projection: index.Projection?.ProjectionType,
      })),
    ).toEqual([
      { name: 'gsi1', keys: ['gsi1pk', 'gsi1sk'], projection: 'ALL' },
      { name: 'gsi2', keys: ['gsi2pk', 'gsi2sk'], projection: 'KEYS_ONLY' },
    ]);
  });

  it('leaves a table from before gsi2 as it is where the server cannot add an index (dynalite), so it can still be migrated', async () => {
    const { client } = dynamo.current;
    const key = (name: string) => ({ AttributeName: name, AttributeType: 'S' as const });
    await client.send(
      new CreateTableCommand({
        TableName: 'before-gsi2',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [key('pk'), key('sk'), key('gsi1pk'), key('gsi1sk')],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'gsi1',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    await ensureTable(client, 'before-gsi2');
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'before-gsi2' }));
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['gsi1']);
  });
});

import { PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { APPROVAL_LISTING_SHARDS, DynamoApprovalStore } from '../../../functions/storage/dynamo/approval-store.js';
import { approvalStoreContract } from '../../crisis/support/store-contracts.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';

describe('DynamoApprovalStore (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  approvalStoreContract(() => new DynamoApprovalStore({ client: dynamo.current.client, tableName: dynamo.current.tableName }));
});

describe("DynamoApprovalStore's sharded status listing (dynalite)", () => {
  const dynamo = useEmbeddedDynamo();
  const held = (id: string, minute: number) => ({
    id,
    status: 'pending' as const,
    reason: 'crisis mode',
    heldBy: 'crisis' as const,
    createdAt: new Date(Date.UTC(2026, 11, 2, 10, minute)).toISOString(),
    expiresAt: '2026-12-03T10:00:00.000Z',
  });
  const partition = async (pk: string) =>
    (
      await dynamo.current.client.send(
        new QueryCommand({
          TableName: dynamo.current.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: pk } },
        }),
      )
    ).Items ?? [];

  it("spreads a status over its shards, lists them merged newest first with one filed before the shards, and moves a decided one to its new status's shard", async () => {
    const store = new DynamoApprovalStore({ client: dynamo.current.client, tableName: dynamo.current.tableName });
    // One approval filed before the listing was sharded, in the status's single partition.
    await dynamo.current.client.send(
      new PutItemCommand({
        TableName: dynamo.current.tableName,
        Item: marshall({
          ...held('old-1', 0),
          pk: 'APPROVAL#old-1',
          sk: 'APPROVAL',
          gsi1pk: 'APPROVALS#pending',
          gsi1sk: `${held('old-1', 0).createdAt}#old-1`,
        }),
      }),
    );
    const ids = Array.from({ length: 24 }, (_, index) => `cmd-${index}`);
    for (const [index, id] of ids.entries()) await store.putIfAbsent(held(id, index + 1));

    const used = (
      await Promise.all(Array.from({ length: APPROVAL_LISTING_SHARDS }, (_, shard) => partition(`APPROVALS#pending#${shard}`)))
    ).filter((items) => items.length > 0);
    expect(used.length).toBeGreaterThan(1);
    expect(used.flat()).toHaveLength(24);
    expect((await store.list('pending', 5)).map((approval) => approval.id)).toEqual(['cmd-23', 'cmd-22', 'cmd-21', 'cmd-20', 'cmd-19']);
    expect((await store.list('pending', 100)).at(-1)?.id).toBe('old-1');

    expect(await store.decide('cmd-23', 'approved', 'maya', undefined, new Date())).toBe(true);
    expect((await store.list('pending', 1)).map((approval) => approval.id)).toEqual(['cmd-22']);
    expect((await store.list('approved', 10)).map((approval) => approval.id)).toEqual(['cmd-23']);
    const approvedShards = await Promise.all(
      Array.from({ length: APPROVAL_LISTING_SHARDS }, (_, shard) => partition(`APPROVALS#approved#${shard}`)),
    );
    expect(approvedShards.flat().map((item) => item.id?.S)).toEqual(['cmd-23']);
  });
});

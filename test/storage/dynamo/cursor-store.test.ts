import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoCursorStore } from '../../../functions/storage/dynamo/cursor-store.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';

describe('DynamoCursorStore', () => {
  const dynamo = useEmbeddedDynamo();
  const store = () => new DynamoCursorStore({ client: dynamo.current.client, tableName: dynamo.current.tableName });

  it('has no cursor for a platform never polled', async () => {
    expect(await store().get('reddit')).toBeUndefined();
  });

  it('keeps the latest cursor per platform under CURSOR#<platform>', async () => {
    const cursors = store();
    await cursors.put('reddit', '{"inbox":{"name":"t1_a","created":1}}', new Date('2026-11-22T02:00:00Z'));
    await cursors.put('reddit', '{"inbox":{"name":"t1_b","created":2}}', new Date('2026-11-22T02:01:00Z'));
    await cursors.put('other', 'x', new Date('2026-11-22T02:01:00Z'));
    expect(await cursors.get('reddit')).toBe('{"inbox":{"name":"t1_b","created":2}}');
    expect(await store().get('other')).toBe('x');

    const { Item } = await dynamo.current.client.send(
      new GetItemCommand({ TableName: dynamo.current.tableName, Key: { pk: { S: 'CURSOR#reddit' }, sk: { S: 'CURSOR' } } }),
    );
    expect(Item?.updatedAt?.S).toBe('2026-11-22T02:01:00.000Z');
  });

  it('says what is missing when built or used without a name', async () => {
    expect(() => new DynamoCursorStore({ client: dynamo.current.client, tableName: '' })).toThrow(/tableName is required/);
    await expect(store().get('')).rejects.toThrow(/platform is required/);
  });
});

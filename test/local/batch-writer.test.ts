import { BatchWriteItemCommand, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { BatchWriter } from '../../functions/local/batch-writer.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';

describe('BatchWriter', () => {
  const dynamo = useEmbeddedDynamo();

  /** The real client, with the size of every BatchWriteItem call noted. */
  function countingClient(sizes: number[]): DynamoDBClient {
    const real = dynamo.current.client;
    return {
      send: (command: unknown) => {
        if (command instanceof BatchWriteItemCommand) sizes.push(command.input.RequestItems?.[dynamo.current.tableName]?.length ?? 0);
        return real.send(command as BatchWriteItemCommand);
      },
    } as unknown as DynamoDBClient;
  }

  const item = (pk: string, sk: string, value: string) => ({ pk: { S: pk }, sk: { S: sk }, value: { S: value } });

  it('coalesces concurrent writes into calls of at most 25 and resolves each once written', async () => {
    const sizes: number[] = [];
    const writer = new BatchWriter(countingClient(sizes), dynamo.current.tableName, 2);
    await Promise.all(Array.from({ length: 120 }, (_, i) => writer.put(item('BW#many', String(i).padStart(3, '0'), `v${i}`))));
    const { Items = [] } = await dynamo.current.client.send(
      new QueryCommand({
        TableName: dynamo.current.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'BW#many' } },
      }),
    );
    expect(Items).toHaveLength(120);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(120);
    expect(Math.max(...sizes)).toBe(25);
    expect(sizes.length).toBeLessThan(10);
  });

  it('applies writes to one key in the order they were made, even when calls complete out of order', async () => {
    // dynalite answers in arrival order, so a table that applies each call after a random delay plays the race.
    const table = new Map<string, string>();
    const slowTable = {
      send: async (command: BatchWriteItemCommand) => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 8));
        for (const request of command.input.RequestItems?.t ?? []) {
          const put = request.PutRequest?.Item;
          if (put) table.set(put.sk!.S!, put.value!.S!);
          else table.delete(request.DeleteRequest!.Key!.sk!.S!);
        }
        return {};
      },
    } as unknown as DynamoDBClient;
    const writer = new BatchWriter(slowTable, 't', 4);
    const expected = new Map<string, string>();
    const writes: Array<Promise<void>> = [];
    for (let i = 0; i < 600; i++) {
      const key = `k${i % 7}`;
      if (i % 3 === 2) {
        writes.push(writer.delete({ pk: 'p', sk: key }));
        expected.delete(key);
      } else {
        writes.push(writer.put(item('p', key, `v${i}`)));
        expected.set(key, `v${i}`);
      }
      if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(writes);
    expect(Object.fromEntries(table)).toEqual(Object.fromEntries(expected));
  });

  it('rejects every write of a failed call with the error DynamoDB gave', async () => {
    const writer = new BatchWriter(dynamo.current.client, 'no-such-table');
    const results = await Promise.allSettled([writer.put(item('p', '1', 'x')), writer.delete({ pk: 'p', sk: '2' })]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/ResourceNotFound|not found/i);
    await writer.idle();
  });

  it('refuses an item without string pk and sk', () => {
    const writer = new BatchWriter(dynamo.current.client, dynamo.current.tableName);
    expect(() => writer.put({ pk: { S: 'x' } })).toThrow(/needs string pk and sk/);
  });
});

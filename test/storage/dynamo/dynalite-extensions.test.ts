import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { startEmbeddedDynamo } from '../../../functions/storage/dynamo/embedded.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';

/** The error a call was refused with (it fails the test when the call went through). */
async function refusal(sending: Promise<unknown>): Promise<{ name: string; CancellationReasons?: unknown; Item?: unknown }> {
  try {
    await sending;
  } catch (error) {
    return error as { name: string; CancellationReasons?: unknown; Item?: unknown };
  }
  throw new Error('the call went through; it should have been refused');
}

/** The two DynamoDB calls dynalite lacks, as the embedded DynamoDB answers them (DynamoDB's documented behaviour). */
describe('the embedded DynamoDB: TransactWriteItems and ReturnValuesOnConditionCheckFailure', () => {
  const dynamo = useEmbeddedDynamo();
  const table = () => dynamo.current.tableName;
  const client = () => dynamo.current.client;
  const key = (pk: string) => ({ pk: { S: pk }, sk: { S: 'X' } });
  const read = async (pk: string) =>
    (await client().send(new GetItemCommand({ TableName: table(), Key: key(pk), ConsistentRead: true }))).Item;
  const putIfAbsent = (pk: string, extra: Record<string, { N: string } | { S: string }> = {}) => ({
    Put: { TableName: table(), Item: { ...key(pk), ...extra }, ConditionExpression: 'attribute_not_exists(pk)' },
  });
  const addTag = (pk: string, tag: string) => ({
    Update: {
      TableName: table(),
      Key: key(pk),
      UpdateExpression: 'ADD #tags :tags',
      ExpressionAttributeNames: { '#tags': 'tags' },
      ExpressionAttributeValues: { ':tags': { SS: [tag] } },
    },
  });

  it('writes every item of a transaction whose conditions hold', async () => {
    await client().send(
      new TransactWriteItemsCommand({ TransactItems: [putIfAbsent('tx-1', { v: { N: '1' } }), addTag('tx-1-tags', 'vip')] }),
    );
    expect(await read('tx-1')).toMatchObject({ v: { N: '1' } });
    expect((await read('tx-1-tags'))?.tags).toEqual({ SS: ['vip'] });
  });

  it('writes nothing when one condition fails, and says which, with the item it found when asked', async () => {
    await client().send(new PutItemCommand({ TableName: table(), Item: { ...key('tx-2'), v: { N: '1' } } }));
    const refused = await refusal(
      client().send(
        new TransactWriteItemsCommand({
          TransactItems: [
            addTag('tx-2-tags', 'vip'),
            { Put: { ...putIfAbsent('tx-2', { v: { N: '2' } }).Put, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
          ],
        }),
      ),
    );
    expect(refused.name).toBe('TransactionCanceledException');
    expect(refused.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { ...key('tx-2'), v: { N: '1' } } },
    ]);
    expect(await read('tx-2-tags')).toBeUndefined();
    expect(await read('tx-2')).toMatchObject({ v: { N: '1' } });
  });

  it('puts back what it wrote when a later item of the transaction cannot be applied', async () => {
    await client().send(new PutItemCommand({ TableName: table(), Item: { ...key('tx-3-number'), tags: { N: '7' } } }));
    const refused = await refusal(
      client().send(new TransactWriteItemsCommand({ TransactItems: [putIfAbsent('tx-3'), addTag('tx-3-number', 'vip')] })),
    );
    expect(refused.name).toBe('ValidationException');
    expect(await read('tx-3')).toBeUndefined();
    expect((await read('tx-3-number'))?.tags).toEqual({ N: '7' });
  });

  it('refuses two operations on one item', async () => {
    const refused = await refusal(
      client().send(new TransactWriteItemsCommand({ TransactItems: [putIfAbsent('tx-4'), addTag('tx-4', 'vip')] })),
    );
    expect(refused.name).toBe('ValidationException');
    expect(await read('tx-4')).toBeUndefined();
  });

  it('answers a retried request (same ClientRequestToken) without writing again', async () => {
    const retried = { TransactItems: [putIfAbsent('tx-5')], ClientRequestToken: 'tx-5-token' };
    await client().send(new TransactWriteItemsCommand(retried));
    await expect(client().send(new TransactWriteItemsCommand(retried))).resolves.toBeDefined();
  });

  it('returns the item a conditional single write lost to, when asked', async () => {
    await client().send(new PutItemCommand({ TableName: table(), Item: { ...key('one-1'), v: { N: '1' } } }));
    const refused = await refusal(
      client().send(
        new UpdateItemCommand({
          TableName: table(),
          Key: key('one-1'),
          UpdateExpression: 'SET v = :two',
          ConditionExpression: 'attribute_not_exists(pk)',
          ExpressionAttributeValues: { ':two': { N: '2' } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    expect(refused.name).toBe('ConditionalCheckFailedException');
    expect(refused.Item).toEqual({ ...key('one-1'), v: { N: '1' } });
    // Without the parameter, the refusal is dynalite's own, with no item.
    const plain = await refusal(
      client().send(new PutItemCommand({ TableName: table(), Item: key('one-1'), ConditionExpression: 'attribute_not_exists(pk)' })),
    );
    expect(plain.name).toBe('ConditionalCheckFailedException');
    expect(plain.Item).toBeUndefined();
  });

  it('does the same in a worker thread, as the local runtime runs it', async () => {
    const inWorker = await startEmbeddedDynamo({ inWorker: true });
    try {
      const worker: DynamoDBClient = inWorker.client;
      await worker.send(
        new TransactWriteItemsCommand({
          TransactItems: [{ Put: { TableName: inWorker.tableName, Item: key('w-1'), ConditionExpression: 'attribute_not_exists(pk)' } }],
        }),
      );
      const refused = await refusal(
        worker.send(
          new TransactWriteItemsCommand({
            TransactItems: [{ Put: { TableName: inWorker.tableName, Item: key('w-1'), ConditionExpression: 'attribute_not_exists(pk)' } }],
          }),
        ),
      );
      expect(refused.name).toBe('TransactionCanceledException');
    } finally {
      await inWorker.stop();
    }
  });
});

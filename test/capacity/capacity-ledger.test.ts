import { GetItemCommand, PutItemCommand, QueryCommand, TransactWriteItemsCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { CapacityLedger, hotKeys, indexWrites, isIndexKey, keyFamily, LIMITS } from '../../capacity/capacity-ledger.js';
import { InProcessDynamo, type TableShape } from '../../capacity/in-process-dynamo.js';
import type { Item } from '../../capacity/item-size.js';
import { ensureTable } from '../../functions/storage/dynamo/table.js';

/**
 * The per-key accounting of known calls, through the in-process DynamoDB: each call's units land on the
 * partition keys it touched, by the rules of
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html and, for the index,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes.
 */
const TABLE = 'capacity-test';
const KB = 1024;

async function metered() {
  let now = 0;
  let engine: InProcessDynamo | undefined;
  const ledger = new CapacityLedger({ shape: () => engine!.shapeOf(TABLE), bucket: () => now });
  engine = new InProcessDynamo((call) => ledger.record(call));
  await ensureTable(engine as never, TABLE);
  return { engine, ledger, at: (second: number) => (now = second) };
}

/** A string attribute that makes the item about `bytes` long. */
const padding = (bytes: number) => ({ pad: { S: 'x'.repeat(bytes) } });
const units = (ledger: CapacityLedger, second = 0) =>
  Object.fromEntries(ledger.bucket(second).map(({ key, wru, rru }) => [key, { wru, rru }]));

describe('capacity ledger', () => {
  it('a put is charged by its size on its pk, and again on the index partition it enters (projection ALL)', async () => {
    const { engine, ledger } = await metered();
    await engine.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: { pk: { S: 'EVENT#1' }, sk: { S: 'EVENT' }, gsi1pk: { S: 'EVENTS' }, gsi1sk: { S: 't1' }, ...padding(1.5 * KB) },
      }),
    );
    expect(units(ledger)).toEqual({ 'pk=EVENT#1': { wru: 2, rru: 0 }, 'gsi1:gsi1pk=EVENTS': { wru: 2, rru: 0 } });
  });

  it("an update that moves an item's index key is a delete on the old index partition and a put on the new one", async () => {
    const { engine, ledger, at } = await metered();
    await engine.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: { pk: { S: 'SPIKE#r' }, sk: { S: 'EPISODE' }, gsi1pk: { S: 'SPIKES-OPEN' }, gsi1sk: { S: 'a' } },
      }),
    );
    at(1);
    await engine.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: { pk: { S: 'SPIKE#r' }, sk: { S: 'EPISODE' } },
        UpdateExpression: 'SET gsi1pk = :closed, #status = :status',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':closed': { S: 'SPIKES-CLOSED' }, ':status': { S: 'closed' } },
      }),
    );
    expect(units(ledger, 1)).toEqual({
      'pk=SPIKE#r': { wru: 1, rru: 0 },
      'gsi1:gsi1pk=SPIKES-OPEN': { wru: 1, rru: 0 },
      'gsi1:gsi1pk=SPIKES-CLOSED': { wru: 1, rru: 0 },
    });
  });

  it('a write a condition refused still costs the existing item, and writes no index', async () => {
    const { engine, ledger, at } = await metered();
    const item = { pk: { S: 'CRISIS' }, sk: { S: 'STATE' }, gsi1pk: { S: 'X' }, gsi1sk: { S: 'y' }, ...padding(2.5 * KB) };
    await engine.send(new PutItemCommand({ TableName: TABLE, Item: item }));
    at(1);
    await expect(
      engine.send(new PutItemCommand({ TableName: TABLE, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect(units(ledger, 1)).toEqual({ 'pk=CRISIS': { wru: 3, rru: 0 } });
  });

  it("a transaction's writes cost twice on the table, its condition check is a transactional read, its index writes are standard", async () => {
    const { engine, ledger } = await metered();
    await engine.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'CRISIS' }, sk: { S: 'STATE' }, on: { BOOL: false } } }));
    const before = units(ledger)['pk=CRISIS']!.wru;
    await engine.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: TABLE, Item: { pk: { S: 'ACTION#1' }, sk: { S: 'ACTION' }, gsi1pk: { S: 'ACTIONS' }, gsi1sk: { S: 't' } } } },
          {
            ConditionCheck: {
              TableName: TABLE,
              Key: { pk: { S: 'CRISIS' }, sk: { S: 'STATE' } },
              ConditionExpression: '#on = :off',
              ExpressionAttributeNames: { '#on': 'on' },
              ExpressionAttributeValues: { ':off': { BOOL: false } },
            },
          },
        ],
      }),
    );
    const after = units(ledger);
    expect(after['pk=ACTION#1']).toEqual({ wru: 2, rru: 0 });
    expect(after['gsi1:gsi1pk=ACTIONS']).toEqual({ wru: 1, rru: 0 });
    expect(after['pk=CRISIS']).toEqual({ wru: before, rru: 2 });
  });

  it('a strongly consistent get costs a whole RRU per 4 KB, an eventually consistent one half; a query sums the items it examined', async () => {
    const { engine, ledger, at } = await metered();
    for (const id of ['a', 'b', 'c']) {
      await engine.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { pk: { S: 'P' }, sk: { S: id }, gsi1pk: { S: 'G' }, gsi1sk: { S: id }, ...padding(1.5 * KB) },
        }),
      );
    }
    at(1);
    await engine.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'P' }, sk: { S: 'a' } }, ConsistentRead: true }));
    await engine.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'P' }, sk: { S: 'b' } } }));
    expect(units(ledger, 1)).toEqual({ 'pk=P': { wru: 0, rru: 1.5 } });
    at(2);
    // Three items of about 1.5 KB: 4.6 KB examined, two 4 KB blocks; the filter that drops them all changes nothing.
    await engine.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :g',
        FilterExpression: 'sk = :none',
        ExpressionAttributeValues: { ':g': { S: 'G' }, ':none': { S: 'none' } },
      }),
    );
    expect(units(ledger, 2)).toEqual({ 'gsi1:gsi1pk=G': { wru: 0, rru: 1 } });
  });

  it('flags a table design that writes one key per event once the events pass 1,000 a second', async () => {
    const { engine, ledger, at } = await metered();
    for (let event = 0; event < LIMITS.wruPerSecond + 1; event++) {
      at(Math.floor(event / (LIMITS.wruPerSecond + 1)));
      await engine.send(
        new UpdateItemCommand({
          TableName: TABLE,
          Key: { pk: { S: 'COUNTER#all' }, sk: { S: 'TOTAL' } },
          UpdateExpression: 'ADD #count :one',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':one': { N: '1' } },
        }),
      );
      if (event % 100 === 0)
        await engine.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: `EVENT#${event}` }, sk: { S: 'EVENT' } } }));
    }
    const flagged = hotKeys(ledger.peaks());
    expect(flagged).toEqual([{ key: 'pk=COUNTER#all', wru: LIMITS.wruPerSecond + 1, rru: 0, over: ['wru'] }]);
  });

  it('reports per second when a bucket is shorter than a second', () => {
    let bucket = 0;
    const shape: TableShape = { partitionKey: 'pk', sortKey: 'sk', indexes: [] };
    const ledger = new CapacityLedger({ shape: () => shape, bucket: () => bucket, bucketSeconds: 0.5 });
    const item: Item = { pk: { S: 'K' }, sk: { S: 's' } };
    for (let i = 0; i < 600; i++)
      ledger.record({
        command: 'PutItemCommand',
        writes: [{ before: undefined, after: item, key: item, transactional: false, refused: false }],
        reads: [],
      });
    bucket = 1;
    expect(ledger.peaks()).toEqual([{ key: 'pk=K', wru: 1200, rru: 0 }]);
    expect(hotKeys(ledger.peaks())).toHaveLength(1);
  });
});

describe('families of keys', () => {
  it('tells an index partition from a table key with colons in it', () => {
    expect(isIndexKey('gsi2:gsi2pk=EVENTS#7')).toBe(true);
    expect(isIndexKey('pk=LIMIT#rule:storm-hours:minute')).toBe(false);
    expect(isIndexKey('pk=CRISIS')).toBe(false);
  });

  it('leaves ids and shards out of a key, and keeps what kind of limit it is', () => {
    expect(keyFamily('pk=LIMIT#rule:storm-hours:minute#3')).toBe('pk=LIMIT#…:minute');
    expect(keyFamily('pk=LIMIT#author:x:42:replies')).toBe('pk=LIMIT#…:replies');
    expect(keyFamily('gsi2:gsi2pk=EVENTS#7')).toBe('gsi2:gsi2pk=EVENTS');
    expect(keyFamily('pk=EVENT#x:1')).toBe('pk=EVENT');
    expect(keyFamily('pk=CRISIS')).toBe('pk=CRISIS');
  });

  it('sums every bucket by family, busiest first', () => {
    let bucket = 0;
    const shape: TableShape = { partitionKey: 'pk', sortKey: 'sk', indexes: [] };
    const ledger = new CapacityLedger({ shape: () => shape, bucket: () => bucket });
    const put = (pk: string) => {
      const item: Item = { pk: { S: pk }, sk: { S: 's' } };
      ledger.record({
        command: 'PutItemCommand',
        writes: [{ before: undefined, after: item, key: item, transactional: false, refused: false }],
        reads: [],
      });
    };
    put('EVENT#a');
    put('EVENT#b');
    bucket = 1;
    put('EVENT#c');
    put('DECISION#a');
    expect(ledger.families()).toEqual([
      { key: 'pk=EVENT', wru: 3, rru: 0 },
      { key: 'pk=DECISION', wru: 1, rru: 0 },
    ]);
  });
});

describe('index writes', () => {
  const shape: TableShape = { partitionKey: 'pk', sortKey: 'sk', indexes: [] };
  const keysOnly = { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: { type: 'KEYS_ONLY' as const } };
  const base: Item = { pk: { S: 'A' }, sk: { S: 'B' }, gsi1pk: { S: 'G' }, gsi1sk: { S: 's' } };

  it('with KEYS_ONLY, a change to an attribute the index does not hold writes nothing there', () => {
    expect(indexWrites(keysOnly, shape, { ...base, count: { N: '1' } }, { ...base, count: { N: '2' } })).toEqual([]);
  });

  it('an item leaving the index is one write of its old projection', () => {
    const { gsi1pk: _pk, gsi1sk: _sk, ...left } = base;
    expect(indexWrites(keysOnly, shape, base, left)).toEqual([{ partition: 'G', bytes: 2 + 1 + 2 + 1 + 6 + 1 + 6 + 1 }]);
  });
});

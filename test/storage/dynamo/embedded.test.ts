import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { startEmbeddedDynamo } from '../../../functions/storage/dynamo/embedded.js';

describe('startEmbeddedDynamo', () => {
  it.each([false, true])('keeps what it stored across a restart on the same folder (worker thread: %s)', async (inWorker) => {
    const path = join(mkdtempSync(join(tmpdir(), 'foghorn-embedded-')), 'db');
    const first = await startEmbeddedDynamo({ path, inWorker });
    await first.client.send(new PutItemCommand({ TableName: first.tableName, Item: { pk: { S: 'k' }, sk: { S: 's' }, v: { S: 'kept' } } }));
    await first.stop();
    const second = await startEmbeddedDynamo({ path, inWorker });
    const { Item } = await second.client.send(new GetItemCommand({ TableName: second.tableName, Key: { pk: { S: 'k' }, sk: { S: 's' } } }));
    await second.stop();
    expect(Item?.v?.S).toBe('kept');
  });
});

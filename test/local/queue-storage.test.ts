import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DurableQueue } from '../../functions/local/durable-queue.js';
import { DynamoQueueStorage } from '../../functions/local/dynamo-queue-storage.js';
import { EmbeddedDatabase } from '../../functions/storage/embedded/database.js';
import { EmbeddedQueueStorage } from '../../functions/storage/embedded/queue-storage.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';
import { type QueueStorageHarness, queueContract } from './queue-contract.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./fixtures/embedded-queue-child.ts', import.meta.url));

describe('DurableQueue on the DynamoDB table (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  let storage: DynamoQueueStorage | undefined;

  queueContract(
    (): QueueStorageHarness => ({
      storage: () => {
        storage ??= new DynamoQueueStorage(dynamo.current.client, dynamo.current.tableName);
        return storage;
      },
      restart: async () => {
        storage = undefined;
      },
      readBodies: async (queue) => {
        const { Items = [] } = await dynamo.current.client.send(
          new QueryCommand({
            TableName: dynamo.current.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: `QUEUE#${queue}` } },
            ConsistentRead: true,
          }),
        );
        return Items.filter((item) => !item.sk?.S?.startsWith('~')).map((item) => item.body?.S ?? '');
      },
    }),
  );
});

describe('DurableQueue on the embedded database (lmdb)', () => {
  let folder: string;
  let db: EmbeddedDatabase | undefined;
  let storage: EmbeddedQueueStorage | undefined;

  const current = (): EmbeddedDatabase => {
    db ??= EmbeddedDatabase.open({ path: folder });
    return db;
  };

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'foghorn-queue-storage-'));
  });
  afterAll(async () => {
    await db?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  queueContract(
    (): QueueStorageHarness => ({
      storage: () => {
        storage ??= new EmbeddedQueueStorage(current());
        return storage;
      },
      // The folder can be opened once per process: the old environment closes (flushing what it staged) first.
      restart: async () => {
        await db?.close();
        db = undefined;
        storage = undefined;
      },
      readBodies: async (queue) =>
        current()
          .range<{ body: string }>({ prefix: `queue/${queue}/m/` })
          .map(({ value }) => value.body),
      writeWith: async (fn) => {
        await current().write((tx) => fn(tx));
      },
    }),
  );

  it('gives acknowledgements and receive journals no write of their own, and sendIn none either', async () => {
    // Prepare
    const database = current();
    const queue = new DurableQueue({
      storage: new EmbeddedQueueStorage(database),
      name: 'counted',
      visibilityTimeoutMs: 60_000,
      maxReceiveCount: 3,
    });
    await queue.start();
    let handled = 0;
    queue.consume(async (event) => {
      handled += event.Records.length;
    });
    const before = { ...database.stats };

    // Act: one message through an outbox write, one through a send.
    await database.write((tx) => queue.sendIn(tx, ['through-the-outbox']));
    await queue.send(['sent']);
    await vi.waitFor(() => expect({ handled, left: queue.depth().total }).toEqual({ handled: 2, left: 0 }));
    await queue.stop();

    // Assess: the outbox write and the send; journals and acks only rode along or were flushed.
    expect(database.stats.writes - before.writes).toBe(2);
    expect(database.range({ prefix: 'queue/counted/' })).toEqual([]);
  });

  it('keeps every message whose send() resolved in a process killed midway', { timeout: 30_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, join(folder, 'killed-sends'), 'send', '100000'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const acknowledged: string[] = [];
    for await (const line of createInterface({ input: child.stdout })) {
      if (line.startsWith('sent ')) acknowledged.push(line.slice(5));
      if (acknowledged.length === 400) child.kill('SIGKILL');
    }
    expect(await exited, `the child should be killed midway; stderr: ${stderr}`).toBe('SIGKILL');

    const reopened = EmbeddedDatabase.open({ path: join(folder, 'killed-sends') });
    try {
      const queue = new DurableQueue({
        storage: new EmbeddedQueueStorage(reopened),
        name: 'killed',
        visibilityTimeoutMs: 60_000,
        maxReceiveCount: 3,
      });
      await queue.start();
      const stored = new Set(queue.list(1_000_000).map((message) => message.body));
      expect(acknowledged.length).toBeGreaterThanOrEqual(400);
      expect(acknowledged.filter((body) => !stored.has(body))).toEqual([]);
      await queue.stop();
    } finally {
      await reopened.close();
    }
  });

  it('has the receive journal on disk with the first write its handler makes, in a process killed after it', {
    timeout: 30_000,
  }, async () => {
    // Prepare: the child's staged operations never flush on their own, so only the handler's write can carry the journal.
    const path = join(folder, 'killed-receive');
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path, 'receive'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Act
    for await (const line of createInterface({ input: child.stdout })) if (line === 'written') child.kill('SIGKILL');
    expect(await exited, `the child should be killed after its handler wrote; stderr: ${stderr}`).toBe('SIGKILL');

    // Assess
    const reopened = EmbeddedDatabase.open({ path });
    try {
      const queue = new DurableQueue({
        storage: new EmbeddedQueueStorage(reopened),
        name: 'killed',
        visibilityTimeoutMs: 60_000,
        maxReceiveCount: 3,
      });
      await queue.start();
      const [message] = queue.list();
      expect(reopened.get(`marker/${message?.id}`)).toBe(true);
      expect(queue.list().map(({ body, receiveCount }) => ({ body, receiveCount }))).toEqual([
        { body: 'crashes-after-a-write', receiveCount: 1 },
      ]);
      await queue.stop();
    } finally {
      await reopened.close();
    }
  });
});

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { DurableQueue, type DurableQueueOptions } from '../../functions/local/durable-queue.js';
import { DynamoQueueStorage } from '../../functions/local/dynamo-queue-storage.js';
import { startEmbeddedDynamo } from '../../functions/storage/dynamo/embedded.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';

let queueCounter = 0;

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const silent = { error: () => {} };

// What every storage must do (delivery, visibility, receive counts across restarts, dead letters, redrive, moves,
// sendIn) is the queue contract, test/local/queue-contract.ts, run by queue-storage.test.ts; here the rest, on the table.
describe('DurableQueue', () => {
  const dynamo = useEmbeddedDynamo();

  function makeQueue(options: Partial<DurableQueueOptions> = {}): DurableQueue {
    return new DurableQueue({
      storage: DynamoQueueStorage.of(dynamo.current.client, dynamo.current.tableName),
      name: `q${++queueCounter}`,
      visibilityTimeoutMs: 60_000,
      maxReceiveCount: 5,
      logger: silent,
      ...options,
    });
  }

  async function storedBodies(name: string): Promise<string[]> {
    const { Items = [] } = await dynamo.current.client.send(
      new QueryCommand({
        TableName: dynamo.current.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `QUEUE#${name}` } },
        ConsistentRead: true,
      }),
    );
    return Items.map((item) => item.body?.S ?? '');
  }

  it('fails the whole batch when the handler throws or names a message not in the batch', async () => {
    const queue = makeQueue({ visibilityTimeoutMs: 60_000 });
    await queue.start();
    await queue.send(['x', 'y']);
    let calls = 0;
    const attempts: Record<string, string[]> = { x: [], y: [] };
    queue.consume(
      (event) => {
        calls++;
        for (const record of event.Records) {
          attempts[record.body]!.push(record.attributes.ApproximateReceiveCount);
          if (calls < 3) queue.changeVisibility(record.receiptHandle, 0);
        }
        if (calls === 1) throw new Error('boom');
        if (calls === 2) return { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] };
        return { batchItemFailures: [] };
      },
      { batchSize: 10 },
    );

    await waitFor(() => queue.depth().total === 0, 'the third attempt to succeed');
    await queue.stop();
    expect(attempts).toEqual({ x: ['1', '2', '3'], y: ['1', '2', '3'] });
    expect(calls).toBe(3);
  });

  it('never hands a message to two batches at once, across concurrent batches and consumers', async () => {
    const queue = makeQueue({ visibilityTimeoutMs: 60_000 });
    await queue.start();
    const inFlight = new Set<string>();
    const deliveries = new Map<string, number>();
    let overlaps = 0;
    let concurrentBatches = 0;
    let maxConcurrentBatches = 0;
    const handler = async (event: SQSEvent) => {
      concurrentBatches++;
      maxConcurrentBatches = Math.max(maxConcurrentBatches, concurrentBatches);
      for (const record of event.Records) {
        if (inFlight.has(record.messageId)) overlaps++;
        inFlight.add(record.messageId);
        deliveries.set(record.body, (deliveries.get(record.body) ?? 0) + 1);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
      for (const record of event.Records) inFlight.delete(record.messageId);
      concurrentBatches--;
    };
    queue.consume(handler, { batchSize: 5, concurrency: 4 });
    queue.consume(handler, { batchSize: 3, concurrency: 2 });

    const bodies = Array.from({ length: 300 }, (_, i) => `m${i}`);
    await Promise.all([queue.send(bodies.slice(0, 150)), queue.send(bodies.slice(150))]);
    await waitFor(() => queue.depth().total === 0, 'all 300 messages');
    await queue.stop();

    expect(overlaps).toBe(0);
    expect(deliveries.size).toBe(300);
    expect([...deliveries.values()].every((count) => count === 1)).toBe(true);
    expect(maxConcurrentBatches).toBeLessThanOrEqual(6);
    expect(await storedBodies(queue.name)).toEqual([]);
  });

  it('waits for the batches in flight when stopped', async () => {
    const queue = makeQueue();
    await queue.start();
    let finished = false;
    queue.consume(async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      finished = true;
    });
    await queue.send(['a']);
    await waitFor(() => queue.depth().invisible === 1, 'the delivery');
    await queue.stop();
    expect(finished).toBe(true);
    expect(await storedBodies(queue.name)).toEqual([]);
  });

  it('rejects send() when the messages cannot be stored, so the caller can answer 5xx', async () => {
    const queue = makeQueue({ name: 'unstorable', storage: DynamoQueueStorage.of(dynamo.current.client, 'no-such-table') });
    await expect(queue.send(['a', 'b'])).rejects.toThrow(/DurableQueue\(unstorable\)\.send: could not store 2 of 2 messages/);
    expect(queue.depth().total).toBe(0);
  });

  it('refuses bad options and bodies with a message naming the queue', async () => {
    expect(() => makeQueue({ name: 'has space' })).toThrow(/DurableQueue\(has space\): name must match/);
    expect(() => makeQueue({ name: 'v', visibilityTimeoutMs: -1 })).toThrow(/DurableQueue\(v\): visibilityTimeoutMs/);
    expect(() => makeQueue({ name: 'm', maxReceiveCount: 0 })).toThrow(/DurableQueue\(m\): maxReceiveCount/);
    const queue = makeQueue({ name: 'checks' });
    expect(() => queue.consume(() => {}, { batchSize: 0 })).toThrow(/batchSize/);
    await expect(queue.send([42 as unknown as string])).rejects.toThrow(/body 0 is number/);
    await expect(queue.redrive()).rejects.toThrow(/has no dead-letter queue/);
  });

  it('refuses a dead-letter queue or a move to a queue kept on another storage', async () => {
    const elsewhere = new DurableQueue({
      storage: new DynamoQueueStorage(dynamo.current.client, dynamo.current.tableName),
      name: 'elsewhere',
      visibilityTimeoutMs: 60_000,
      maxReceiveCount: 1,
    });
    expect(() => makeQueue({ name: 'strict', deadLetter: elsewhere })).toThrow(
      /DurableQueue\(strict\): the dead-letter queue elsewhere must be on the same storage/,
    );
    const queue = makeQueue({ name: 'mover' });
    await queue.start();
    await queue.send(['stays']);
    await expect(queue.moveMessagesTo(elsewhere)).rejects.toThrow(/cannot move messages to elsewhere, which is on another storage/);
    expect(queue.list().map(({ body, state }) => ({ body, state }))).toEqual([{ body: 'stays', state: 'visible' }]);
    await queue.stop();
  });
});

describe('DurableQueue after SIGKILL', () => {
  it('keeps every message whose send() resolved in a process killed midway', { timeout: 30_000 }, async () => {
    // Prepare
    const dataDir = await mkdtemp(join(tmpdir(), 'foghorn-queue-'));
    const fixture = fileURLToPath(new URL('./fixtures/queue-sender.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir, 'killed', '100000'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const acknowledged: string[] = [];
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));

    // Act: kill it once a few hundred sends have resolved.
    for await (const line of createInterface({ input: child.stdout })) {
      if (line.startsWith('sent ')) acknowledged.push(line.slice(5));
      if (acknowledged.length === 400) child.kill('SIGKILL');
    }
    const signal = await exited;

    // Assess
    expect(signal, `the child should be killed midway; stderr: ${stderr}`).toBe('SIGKILL');
    const dynamo = await startEmbeddedDynamo({ path: dataDir });
    try {
      const reopened = new DurableQueue({
        storage: DynamoQueueStorage.of(dynamo.client, dynamo.tableName),
        name: 'killed',
        visibilityTimeoutMs: 60_000,
        maxReceiveCount: 3,
      });
      await reopened.start();
      const stored = new Set(reopened.list(1_000_000).map((message) => message.body));
      expect(acknowledged.length).toBeGreaterThanOrEqual(400);
      expect(acknowledged.filter((body) => !stored.has(body))).toEqual([]);
      await reopened.stop();
    } finally {
      await dynamo.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

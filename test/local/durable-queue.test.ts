import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { DurableQueue, type DurableQueueOptions } from '../../functions/local/durable-queue.js';
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

describe('DurableQueue', () => {
  const dynamo = useEmbeddedDynamo();

  function makeQueue(options: Partial<DurableQueueOptions> = {}): DurableQueue {
    return new DurableQueue({
      client: dynamo.current.client,
      tableName: dynamo.current.tableName,
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

  it('stores each message before send() resolves and lists them oldest first', async () => {
    // Prepare
    const queue = makeQueue();
    await queue.start();
    // Act
    const ids = await queue.send(['a', 'b', 'c']);
    // Assess
    expect(await storedBodies(queue.name)).toEqual(['a', 'b', 'c']);
    expect(queue.list().map((message) => [message.id, message.body])).toEqual([
      [ids[0], 'a'],
      [ids[1], 'b'],
      [ids[2], 'c'],
    ]);
    expect(queue.depth()).toEqual({ visible: 3, invisible: 0, total: 3 });
    await queue.stop();
  });

  it('delivers Lambda-shaped SQS events and deletes acknowledged messages', async () => {
    const queue = makeQueue();
    await queue.start();
    const received: SQSRecord[] = [];
    queue.consume(
      async (event: SQSEvent) => {
        received.push(...event.Records);
      },
      { batchSize: 10 },
    );

    const [id] = await queue.send(['{"hello":"world"}']);
    await waitFor(() => received.length === 1 && queue.depth().total === 0, 'the message to be delivered and acknowledged');
    await queue.stop();

    const record = received[0]!;
    expect(record.messageId).toBe(id);
    expect(record.body).toBe('{"hello":"world"}');
    expect(record.eventSource).toBe('aws:sqs');
    expect(record.eventSourceARN).toBe(`arn:aws:sqs:local:000000000000:${queue.name}`);
    expect(record.attributes.ApproximateReceiveCount).toBe('1');
    expect(record.md5OfBody).toBe('fbc24bcc7a1794758fc1327fcfebdaf6');
    expect(record.receiptHandle).toContain(id);
    expect(await storedBodies(queue.name)).toEqual([]);
  });

  it('keeps unacknowledged messages and their receive counts across a restart', async () => {
    // Prepare: five sent, one consumer acknowledges all but 'keep-me' and stops.
    const name = `restart${++queueCounter}`;
    const first = makeQueue({ name });
    await first.start();
    await first.send(['one', 'keep-me', 'two']);
    await first.stop();

    const second = makeQueue({ name });
    await second.start();
    const seen: string[] = [];
    second.consume((event) => {
      seen.push(...event.Records.map((record) => record.body));
      return { batchItemFailures: event.Records.filter((r) => r.body === 'keep-me').map((r) => ({ itemIdentifier: r.messageId })) };
    });
    await waitFor(() => second.depth().visible === 0 && second.depth().total === 1, 'two acknowledgements');
    await second.stop();

    // Act: a new instance on the same table.
    const third = makeQueue({ name });
    await third.start();

    // Assess
    expect(seen.sort()).toEqual(['keep-me', 'one', 'two']);
    expect(third.list().map(({ body, receiveCount, state }) => ({ body, receiveCount, state }))).toEqual([
      { body: 'keep-me', receiveCount: 1, state: 'visible' },
    ]);
    const again: SQSRecord[] = [];
    third.consume(async (event) => {
      again.push(...event.Records);
    });
    await waitFor(() => again.length === 1 && third.depth().total === 0, 'redelivery after the restart');
    expect(again[0]?.attributes.ApproximateReceiveCount).toBe('2');
    await third.stop();
  });

  // Failing handlers below shorten the visibility to 0 so redelivery is immediate; the 60 s timeout never runs out mid-test.
  it('deletes the successes of a batch and redelivers only its reported failures', async () => {
    const queue = makeQueue({ visibilityTimeoutMs: 60_000 });
    await queue.start();
    await queue.send(['ok-1', 'fail-1', 'ok-2', 'fail-2']);
    const deliveries = new Map<string, number>();
    queue.consume(
      (event): SQSBatchResponse => {
        const failures = [];
        for (const record of event.Records) {
          deliveries.set(record.body, (deliveries.get(record.body) ?? 0) + 1);
          // Failures fail on their first delivery only.
          if (record.body.startsWith('fail') && record.attributes.ApproximateReceiveCount === '1') {
            queue.changeVisibility(record.receiptHandle, 0);
            failures.push({ itemIdentifier: record.messageId });
          }
        }
        return { batchItemFailures: failures };
      },
      { batchSize: 10 },
    );

    await waitFor(() => queue.depth().total === 0, 'every message to be acknowledged');
    await queue.stop();
    expect(Object.fromEntries(deliveries)).toEqual({ 'ok-1': 1, 'ok-2': 1, 'fail-1': 2, 'fail-2': 2 });
  });

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

  it('keeps a failed message invisible for the visibility timeout', async () => {
    const visibilityTimeoutMs = 300;
    const queue = makeQueue({ visibilityTimeoutMs });
    await queue.start();
    const times: number[] = [];
    let firstReceivedAt = 0;
    queue.consume((event) => {
      times.push(Date.now());
      firstReceivedAt = Number(event.Records[0]!.attributes.ApproximateFirstReceiveTimestamp);
      return { batchItemFailures: times.length === 1 ? [{ itemIdentifier: event.Records[0]!.messageId }] : [] };
    });
    await queue.send(['slow']);

    await waitFor(() => times.length === 1, 'the first delivery');
    expect(queue.depth()).toEqual({ visible: 0, invisible: 1, total: 1 });
    await waitFor(() => queue.depth().total === 0, 'the redelivery');
    await queue.stop();
    expect(times.length).toBeGreaterThanOrEqual(2);
    // The timeout runs from the receive (SQS semantics), which is a little before the handler is called.
    expect(times[1]! - firstReceivedAt).toBeGreaterThanOrEqual(visibilityTimeoutMs - 1);
  });

  it('lets the handler shorten a message visibility (Retry-After) and ignores a stale receipt', async () => {
    const queue = makeQueue({ visibilityTimeoutMs: 60_000 });
    await queue.start();
    const receipts: string[] = [];
    // The queue swallows a handler's errors, so what the handler sees is kept and asserted after.
    const shortened: boolean[] = [];
    queue.consume((event) => {
      const record = event.Records[0]!;
      receipts.push(record.receiptHandle);
      if (receipts.length === 1) {
        shortened.push(queue.changeVisibility(record.receiptHandle, 30));
        return { batchItemFailures: [{ itemIdentifier: record.messageId }] };
      }
      return { batchItemFailures: [] };
    });
    await queue.send(['retry-after']);

    await waitFor(() => receipts.length === 2 && queue.depth().total === 0, 'the early redelivery');
    await queue.stop();
    expect(shortened).toEqual([true]);
    expect(receipts[0]).not.toBe(receipts[1]);
    expect(queue.changeVisibility(receipts[0]!, 10)).toBe(false);
    expect(() => queue.changeVisibility(receipts[0]!, -1)).toThrow(/timeoutMs must be between 0/);
  });

  it('ignores the acknowledgement of a stale receipt: the redelivered message stays for its own receipt', async () => {
    // Prepare: concurrency 2, so the message can be redelivered while its first handler still runs.
    const queue = makeQueue({ visibilityTimeoutMs: 60_000 });
    await queue.start();
    const receipts: string[] = [];
    const revealed: boolean[] = [];
    let redelivered!: () => void;
    const redelivery = new Promise<void>((resolve) => {
      redelivered = resolve;
    });
    queue.consume(
      async (event) => {
        const record = event.Records[0]!;
        receipts.push(record.receiptHandle);
        if (receipts.length === 1) {
          // As if the visibility timeout ran out mid-handler: the message is delivered again meanwhile.
          revealed.push(queue.changeVisibility(record.receiptHandle, 0));
          await redelivery;
          return { batchItemFailures: [] };
        }
        redelivered();
        return { batchItemFailures: [{ itemIdentifier: record.messageId }] };
      },
      { batchSize: 1, concurrency: 2 },
    );

    // Act: the first handler succeeds with its stale receipt after the second delivery failed.
    await queue.send(['redelivered']);
    await waitFor(() => receipts.length === 2, 'the redelivery');
    await queue.stop();

    // Assess: the message is kept (in memory and in the table), waiting out the failed delivery's timeout.
    expect(revealed).toEqual([true]);
    expect(receipts[0]).not.toBe(receipts[1]);
    expect(queue.list().map(({ body, receiveCount, state }) => ({ body, receiveCount, state }))).toEqual([
      { body: 'redelivered', receiveCount: 2, state: 'invisible' },
    ]);
    expect(await storedBodies(queue.name)).toEqual(['redelivered']);
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives, and redrives it back', async () => {
    // Prepare
    const deadLetter = makeQueue();
    const queue = makeQueue({ visibilityTimeoutMs: 60_000, maxReceiveCount: 3, deadLetter });
    await queue.start();
    let healthy = false;
    const attempts: string[] = [];
    queue.consume((event) => {
      attempts.push(...event.Records.map((record) => record.attributes.ApproximateReceiveCount));
      if (!healthy) for (const record of event.Records) queue.changeVisibility(record.receiptHandle, 0);
      return { batchItemFailures: healthy ? [] : event.Records.map((record) => ({ itemIdentifier: record.messageId })) };
    });

    // Act
    const [id] = await queue.send(['poison']);
    await waitFor(() => deadLetter.depth().total === 1, 'the message to reach the dead-letter queue');

    // Assess
    expect(attempts).toEqual(['1', '2', '3']);
    expect(queue.depth().total).toBe(0);
    expect(deadLetter.list()).toEqual([expect.objectContaining({ id, body: 'poison', receiveCount: 3 })]);
    // The move is written to the dead-letter queue first, then deleted here.
    await expect.poll(() => storedBodies(queue.name)).toEqual([]);
    expect(await storedBodies(deadLetter.name)).toEqual(['poison']);

    // Act: redrive once the consumer is healthy again.
    healthy = true;
    expect(await queue.redrive()).toEqual([id]);
    await waitFor(() => queue.depth().total === 0 && attempts.length === 4, 'the redriven message to be processed');
    expect(attempts[3]).toBe('1');
    expect(deadLetter.depth().total).toBe(0);
    await expect.poll(() => storedBodies(deadLetter.name)).toEqual([]);
    await queue.stop();
    await deadLetter.stop();
  });

  it('moves a message whose stored receive count is used up to the dead-letter queue on restart instead of delivering it', async () => {
    const name = `exhausted${++queueCounter}`;
    const deadLetter = makeQueue();
    const first = makeQueue({ name, maxReceiveCount: 1, deadLetter });
    await first.start();
    // The handler never returns, as if the process died while handling the message.
    let handed = false;
    first.consume(() => {
      handed = true;
      return new Promise<never>(() => {});
    });
    await first.send(['crashes-the-worker']);
    await waitFor(() => handed, 'the first delivery');

    const second = makeQueue({ name, maxReceiveCount: 1, deadLetter });
    const delivered: string[] = [];
    second.consume(async (event) => {
      delivered.push(...event.Records.map((record) => record.body));
    });
    await second.start();
    await waitFor(() => deadLetter.depth().total === 1, 'the move to the dead-letter queue');
    await second.stop();
    expect(delivered).toEqual([]);
    expect(await storedBodies(name)).toEqual([]);
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
    const queue = makeQueue({ name: 'unstorable', tableName: 'no-such-table' });
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
        client: dynamo.client,
        tableName: dynamo.tableName,
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

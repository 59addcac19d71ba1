import type { SQSRecord } from 'aws-lambda';
import { expect, it } from 'vitest';
import { DurableQueue, type DurableQueueOptions } from '../../functions/local/durable-queue.js';
import type { QueueStorage, QueueTransaction } from '../../functions/local/queue-storage.js';

/**
 * What a DurableQueue must do on every QueueStorage: run against the DynamoDB table (dynalite) and the
 * embedded database (lmdb), so the local runtime behaves the same on both.
 *
 * A harness may share one storage across tests (names are unique per test). `restart()` plays a process
 * that died and started again: queues made before it are abandoned (never stopped), what was durable stays.
 */
export interface QueueStorageHarness {
  /** The storage as it is now (a new one after each restart). */
  storage(): QueueStorage;
  restart(): Promise<void>;
  /** Bodies stored for the queue, read from the medium itself, in id order. */
  readBodies(queue: string): Promise<string[]>;
  /** Runs `fn` inside a write another store makes, resolving once it commits; absent when the storage has no `putIn`. */
  writeWith?: (fn: (tx: QueueTransaction) => void) => Promise<void>;
}

const silent = { error: () => {} };
let counter = 0;

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const summary = (queue: DurableQueue) => queue.list().map(({ body, receiveCount, state }) => ({ body, receiveCount, state }));

export function queueContract(harness: () => QueueStorageHarness): void {
  const unique = (prefix: string) => `${prefix}${++counter}`;

  function makeQueue(options: Partial<Omit<DurableQueueOptions, 'storage'>> & { name?: string } = {}): DurableQueue {
    return new DurableQueue({
      storage: harness().storage(),
      name: options.name ?? unique('q'),
      visibilityTimeoutMs: options.visibilityTimeoutMs ?? 60_000,
      maxReceiveCount: options.maxReceiveCount ?? 5,
      logger: silent,
      ...(options.deadLetter ? { deadLetter: options.deadLetter } : {}),
    });
  }

  /** What is stored once the queue's operations so far have settled. */
  async function stored(queue: DurableQueue | string): Promise<string[]> {
    const name = typeof queue === 'string' ? queue : queue.name;
    await harness().storage().idle(name);
    return harness().readBodies(name);
  }

  it('stores each message before send() resolves, and lists them oldest first', async () => {
    const queue = makeQueue();
    await queue.start();
    const ids = await queue.send(['a', 'b', 'c']);
    expect(await harness().readBodies(queue.name)).toEqual(['a', 'b', 'c']);
    expect(queue.list().map(({ id, body }) => [id, body])).toEqual([
      [ids[0], 'a'],
      [ids[1], 'b'],
      [ids[2], 'c'],
    ]);
    expect(queue.depth()).toEqual({ visible: 3, invisible: 0, total: 3 });
    await queue.stop();
  });

  it('delivers Lambda-shaped SQS records and deletes what the handler acknowledged', async () => {
    const queue = makeQueue();
    await queue.start();
    const received: SQSRecord[] = [];
    queue.consume(async (event) => {
      received.push(...event.Records);
    });
    const [id] = await queue.send(['{"hello":"world"}']);
    await waitFor(() => received.length === 1 && queue.depth().total === 0, 'the delivery and its acknowledgement');
    await queue.stop();
    expect(received[0]).toMatchObject({
      messageId: id,
      body: '{"hello":"world"}',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:local:000000000000:${queue.name}`,
      md5OfBody: 'fbc24bcc7a1794758fc1327fcfebdaf6',
      attributes: expect.objectContaining({ ApproximateReceiveCount: '1' }),
    });
    expect(await stored(queue)).toEqual([]);
  });

  it('acknowledges the successes of a batch and redelivers only its reported failures', async () => {
    const queue = makeQueue();
    await queue.start();
    const deliveries = new Map<string, number>();
    queue.consume(
      (event) => {
        const failures = [];
        for (const record of event.Records) {
          deliveries.set(record.body, (deliveries.get(record.body) ?? 0) + 1);
          if (record.body.startsWith('fail') && record.attributes.ApproximateReceiveCount === '1') {
            queue.changeVisibility(record.receiptHandle, 0);
            failures.push({ itemIdentifier: record.messageId });
          }
        }
        return { batchItemFailures: failures };
      },
      { batchSize: 10 },
    );
    await queue.send(['ok-1', 'fail-1', 'ok-2', 'fail-2']);
    await waitFor(() => queue.depth().total === 0, 'every message to be acknowledged');
    await queue.stop();
    expect(Object.fromEntries(deliveries)).toEqual({ 'ok-1': 1, 'ok-2': 1, 'fail-1': 2, 'fail-2': 2 });
    expect(await stored(queue)).toEqual([]);
  });

  it('keeps a failed message invisible for its visibility timeout, until changeVisibility brings it back early', async () => {
    // Prepare: a timeout far longer than the test, so only changeVisibility can end it.
    const queue = makeQueue({ visibilityTimeoutMs: 60_000 });
    await queue.start();
    const records: SQSRecord[] = [];
    queue.consume((event) => {
      records.push(...event.Records);
      return { batchItemFailures: records.length === 1 ? [{ itemIdentifier: event.Records[0]!.messageId }] : [] };
    });
    await queue.send(['retry-later']);
    await waitFor(() => records.length === 1 && queue.depth().visible === 0, 'the failed first delivery');
    // Act: the message waits out its timeout; a second queue flush cannot deliver it.
    await harness().storage().idle(queue.name);
    await new Promise((resolve) => setImmediate(resolve));
    expect(records).toHaveLength(1);
    expect(queue.depth()).toEqual({ visible: 0, invisible: 1, total: 1 });
    // Act: as a platform's Retry-After does.
    expect(queue.changeVisibility(records[0]!.receiptHandle, 0)).toBe(true);
    await waitFor(() => records.length === 2 && queue.depth().total === 0, 'the early redelivery');
    await queue.stop();
    // Assess
    expect(records.map((record) => record.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
    expect(records[0]!.receiptHandle).not.toBe(records[1]!.receiptHandle);
    expect(queue.changeVisibility(records[0]!.receiptHandle, 10)).toBe(false);
    expect(() => queue.changeVisibility(records[1]!.receiptHandle, -1)).toThrow(/timeoutMs must be between 0/);
  });

  it('redelivers a failed message once its visibility timeout runs out', async () => {
    const queue = makeQueue({ visibilityTimeoutMs: 20 });
    await queue.start();
    const counts: string[] = [];
    queue.consume((event) => {
      counts.push(event.Records[0]!.attributes.ApproximateReceiveCount);
      return { batchItemFailures: counts.length === 1 ? [{ itemIdentifier: event.Records[0]!.messageId }] : [] };
    });
    await queue.send(['comes-back']);
    await waitFor(() => queue.depth().total === 0, 'the redelivery');
    await queue.stop();
    // A storage slower than the timeout may hand it out once more, as SQS would: only the order is certain.
    expect(counts[0]).toBe('1');
    expect(counts).toContain('2');
  });

  it('ignores the acknowledgement of a stale receipt: the redelivered message stays for its own', async () => {
    const queue = makeQueue();
    await queue.start();
    const receipts: string[] = [];
    let redelivered!: () => void;
    const redelivery = new Promise<void>((resolve) => {
      redelivered = resolve;
    });
    queue.consume(
      async (event) => {
        const record = event.Records[0]!;
        receipts.push(record.receiptHandle);
        if (receipts.length === 1) {
          queue.changeVisibility(record.receiptHandle, 0);
          await redelivery;
          return { batchItemFailures: [] };
        }
        redelivered();
        return { batchItemFailures: [{ itemIdentifier: record.messageId }] };
      },
      { batchSize: 1, concurrency: 2 },
    );
    await queue.send(['redelivered']);
    await waitFor(() => receipts.length === 2, 'the redelivery');
    await queue.stop();
    expect(summary(queue)).toEqual([{ body: 'redelivered', receiveCount: 2, state: 'invisible' }]);
    expect(await stored(queue)).toEqual(['redelivered']);
  });

  it('keeps unacknowledged messages and their receive counts across a stop and a restart', async () => {
    const name = unique('restart');
    const first = makeQueue({ name });
    await first.start();
    first.consume((event) => ({
      batchItemFailures: event.Records.filter((record) => record.body === 'keep-me').map((record) => ({
        itemIdentifier: record.messageId,
      })),
    }));
    await first.send(['one', 'keep-me', 'two']);
    await waitFor(() => first.depth().total === 1 && first.depth().invisible === 1, 'two acknowledgements and one failure');
    await first.stop();

    await harness().restart();
    const second = makeQueue({ name });
    await second.start();
    expect(summary(second)).toEqual([{ body: 'keep-me', receiveCount: 1, state: 'visible' }]);
    const again: SQSRecord[] = [];
    second.consume(async (event) => {
      again.push(...event.Records);
    });
    await waitFor(() => again.length === 1 && second.depth().total === 0, 'the redelivery after the restart');
    await second.stop();
    expect(again[0]!.attributes.ApproximateReceiveCount).toBe('2');
    expect(await stored(name)).toEqual([]);
  });

  it('counts a receive whose handler never returned (a crash), and dead-letters the message once its receives are used up', async () => {
    // Prepare: each life hands the message to a handler that never returns, as if the process died in it.
    const name = unique('crash');
    const deadLetterName = unique('crash-dlq');
    const handed: string[] = [];
    const life = async (): Promise<{ queue: DurableQueue; deadLetter: DurableQueue }> => {
      const deadLetter = makeQueue({ name: deadLetterName });
      const queue = makeQueue({ name, maxReceiveCount: 2, deadLetter });
      queue.consume((event) => {
        handed.push(...event.Records.map((record) => record.attributes.ApproximateReceiveCount));
        return new Promise<never>(() => {});
      });
      await queue.start();
      return { queue, deadLetter };
    };
    const first = await life();
    await first.queue.send(['crashes-the-worker']);
    await waitFor(() => handed.length === 1, 'the first delivery');

    // Act: two crashes.
    await harness().restart();
    const second = await life();
    await waitFor(() => handed.length === 2, 'the delivery after the first crash');
    await harness().restart();
    const third = await life();

    // Assess: the third life moves it to the dead letters without handing it over.
    await waitFor(() => third.deadLetter.depth().total === 1, 'the move to the dead-letter queue');
    expect(handed).toEqual(['1', '2']);
    expect(second.queue.list(1)).toEqual([expect.objectContaining({ body: 'crashes-the-worker', receiveCount: 2 })]);
    expect(third.deadLetter.list()).toEqual([expect.objectContaining({ body: 'crashes-the-worker', receiveCount: 2 })]);
    expect(await stored(name)).toEqual([]);
    expect(await stored(deadLetterName)).toEqual(['crashes-the-worker']);
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives, and redrives it back with a fresh count', async () => {
    const deadLetter = makeQueue();
    const queue = makeQueue({ maxReceiveCount: 3, deadLetter });
    await queue.start();
    let healthy = false;
    const attempts: string[] = [];
    queue.consume((event) => {
      attempts.push(...event.Records.map((record) => record.attributes.ApproximateReceiveCount));
      if (!healthy) for (const record of event.Records) queue.changeVisibility(record.receiptHandle, 0);
      return { batchItemFailures: healthy ? [] : event.Records.map((record) => ({ itemIdentifier: record.messageId })) };
    });
    const [id] = await queue.send(['poison']);
    await waitFor(() => deadLetter.depth().total === 1, 'the message to reach the dead-letter queue');
    expect(attempts).toEqual(['1', '2', '3']);
    expect(queue.depth().total).toBe(0);
    expect(deadLetter.list()).toEqual([expect.objectContaining({ id, body: 'poison', receiveCount: 3 })]);
    expect(await stored(queue)).toEqual([]);
    expect(await stored(deadLetter)).toEqual(['poison']);

    healthy = true;
    expect(await queue.redrive()).toEqual([id]);
    await waitFor(() => queue.depth().total === 0 && attempts.length === 4, 'the redriven message to be processed');
    await queue.stop();
    expect(attempts[3]).toBe('1');
    expect(deadLetter.depth().total).toBe(0);
    expect(await stored(deadLetter)).toEqual([]);
    expect(await stored(queue)).toEqual([]);
  });

  it('moves visible messages (all, or the ones named) to another queue, keeping their ids, and the move survives a restart', async () => {
    const sourceName = unique('from');
    const targetName = unique('to');
    const source = makeQueue({ name: sourceName });
    const target = makeQueue({ name: targetName });
    await Promise.all([source.start(), target.start()]);
    const [a, b, c] = await source.send(['a', 'b', 'c']);

    expect(await source.moveMessagesTo(target, { messageIds: [b!, 'no-such-id'] })).toEqual([b]);
    expect(await source.moveMessagesTo(target)).toEqual([a, c]);
    expect(target.list().map(({ id, body, receiveCount }) => ({ id, body, receiveCount }))).toEqual([
      { id: a, body: 'a', receiveCount: 0 },
      { id: b, body: 'b', receiveCount: 0 },
      { id: c, body: 'c', receiveCount: 0 },
    ]);
    expect(source.depth().total).toBe(0);
    await expect(source.moveMessagesTo(source)).rejects.toThrow(/source and target are the same queue/);
    await Promise.all([source.stop(), target.stop()]);

    await harness().restart();
    const reloadedSource = makeQueue({ name: sourceName });
    const reloadedTarget = makeQueue({ name: targetName });
    await Promise.all([reloadedSource.start(), reloadedTarget.start()]);
    expect(reloadedSource.list()).toEqual([]);
    expect(reloadedTarget.list().map(({ id }) => id)).toEqual([a, b, c]);
  });

  it('leaves in place the messages a consumer holds when moving', async () => {
    const source = makeQueue();
    const target = makeQueue();
    await Promise.all([source.start(), target.start()]);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    source.consume(async (event) => {
      if (event.Records.some((record) => record.body === 'held')) await held;
    });
    await source.send(['held']);
    await waitFor(() => source.depth().invisible === 1, 'the delivery');
    expect(await source.moveMessagesTo(target)).toEqual([]);
    release();
    await waitFor(() => source.depth().total === 0, 'the acknowledgement');
    await Promise.all([source.stop(), target.stop()]);
    expect(target.depth().total).toBe(0);
    expect(await stored(target)).toEqual([]);
  });

  it('puts messages inside another store’s write: delivered once it commits, never when it throws, and kept across a restart', async () => {
    const h = harness();
    const queue = makeQueue();
    if (!h.writeWith) {
      expect(() => queue.sendIn({ put: () => {}, afterCommit: () => {} }, ['x'])).toThrow(
        /cannot write inside another store's transaction/,
      );
      return;
    }
    const name = queue.name;
    await queue.start();
    const delivered: string[] = [];
    queue.consume(async (event) => {
      delivered.push(...event.Records.map((record) => record.body));
    });

    // Act: a write that commits, then one that throws after enqueueing.
    let seenInsideWrite: number | undefined;
    await h.writeWith((tx) => {
      queue.sendIn(tx, ['committed']);
      seenInsideWrite = queue.depth().total;
    });
    await expect(
      h.writeWith((tx) => {
        queue.sendIn(tx, ['rolled-back']);
        throw new Error('the store refused its write');
      }),
    ).rejects.toThrow('the store refused its write');
    await h.writeWith((tx) => queue.sendIn(tx, ['after']));
    await waitFor(() => delivered.length === 2 && queue.depth().total === 0, 'both committed messages');

    // Assess
    expect(seenInsideWrite).toBe(0);
    await queue.stop();
    expect(delivered).toEqual(['committed', 'after']);
    expect(await stored(queue)).toEqual([]);

    // Act: one more, never consumed, then a restart.
    const idle = makeQueue({ name });
    let ids: string[] = [];
    await h.writeWith((tx) => {
      ids = idle.sendIn(tx, ['kept']);
    });
    await harness().restart();
    const reopened = makeQueue({ name });
    await reopened.start();
    expect(reopened.list().map(({ id, body }) => ({ id, body }))).toEqual([{ id: ids[0], body: 'kept' }]);
    await reopened.stop();
  });
}

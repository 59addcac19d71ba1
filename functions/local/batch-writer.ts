import { type AttributeValue, BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';

type Item = Record<string, AttributeValue>;

interface PendingWrite {
  request: WriteRequest;
  key: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** DynamoDB accepts at most 25 writes per BatchWriteItem call. */
const MAX_BATCH = 25;
const MAX_UNPROCESSED_ROUNDS = 8;

/**
 * Coalesces single puts and deletes from many callers into BatchWriteItem calls of up to 25, with a
 * bounded number of calls in flight: under load writes queue up and leave in full batches, at rest a
 * lone write leaves at once. Each promise resolves only once its own write is acknowledged.
 *
 * Writes to the same key are applied in the order they were made: one waits until the call carrying
 * the previous one has returned (a put still in flight must not land after a later delete).
 */
export class BatchWriter {
  private pending: PendingWrite[] = [];
  private readonly keysInFlight = new Set<string>();
  private inFlight = 0;
  private flushScheduled = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly maxConcurrentCalls = 4,
  ) {
    if (!tableName) throw new Error('BatchWriter: tableName is required');
    if (!(maxConcurrentCalls >= 1)) throw new Error(`BatchWriter: maxConcurrentCalls must be >= 1, got ${maxConcurrentCalls}`);
  }

  put(item: Item): Promise<void> {
    return this.enqueue({ PutRequest: { Item: item } }, keyOf(item));
  }

  delete(key: { pk: string; sk: string }): Promise<void> {
    return this.enqueue({ DeleteRequest: { Key: { pk: { S: key.pk }, sk: { S: key.sk } } } }, `${key.pk}\u0000${key.sk}`);
  }

  /** Resolves once every write enqueued so far has settled. */
  async idle(): Promise<void> {
    if (this.pending.length === 0 && this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private enqueue(request: WriteRequest, key: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ request, key, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate rather than a microtask: writes from requests handled in the same I/O turn share a call.
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.pending.length > 0 && this.inFlight < this.maxConcurrentCalls) {
      const batch = this.takeBatch();
      if (batch.length === 0) return; // every pending write waits for a key in flight
      this.inFlight++;
      for (const write of batch) this.keysInFlight.add(write.key);
      void this.write(batch).finally(() => {
        for (const write of batch) this.keysInFlight.delete(write.key);
        this.inFlight--;
        if (this.pending.length > 0) this.flush();
        else if (this.inFlight === 0) this.notifyIdle();
      });
    }
  }

  /**
   * Up to 25 writes, oldest first, with distinct keys none of which is in flight (BatchWriteItem rejects
   * a batch naming a key twice); a write held back holds back every later write to its key.
   */
  private takeBatch(): PendingWrite[] {
    const batch: PendingWrite[] = [];
    const blocked = new Set(this.keysInFlight);
    const remaining: PendingWrite[] = [];
    let index = 0;
    for (; index < this.pending.length && batch.length < MAX_BATCH; index++) {
      const write = this.pending[index]!;
      if (blocked.has(write.key)) {
        remaining.push(write);
      } else {
        blocked.add(write.key);
        batch.push(write);
      }
    }
    if (batch.length > 0) this.pending = index === this.pending.length ? remaining : remaining.concat(this.pending.slice(index));
    return batch;
  }

  private async write(batch: PendingWrite[]): Promise<void> {
    try {
      let requests = batch.map((write) => write.request);
      for (let round = 0; requests.length > 0; round++) {
        if (round >= MAX_UNPROCESSED_ROUNDS) {
          throw new Error(`BatchWriteItem on ${this.tableName}: ${requests.length} writes still unprocessed after ${round} attempts`);
        }
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** round));
        const output = await this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = output.UnprocessedItems?.[this.tableName] ?? [];
      }
      for (const write of batch) write.resolve();
    } catch (error) {
      for (const write of batch) write.reject(error);
    }
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function keyOf(item: Item): string {
  const pk = item.pk?.S;
  const sk = item.sk?.S;
  if (pk === undefined || sk === undefined) throw new Error('BatchWriter.put: the item needs string pk and sk attributes');
  return `${pk}\u0000${sk}`;
}

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
 * Callers must not have two writes to the same key outstanding at once (order between them would be
 * undefined); the durable queue never does, since it awaits each write of a message before the next.
 */
export class BatchWriter {
  private readonly pending: PendingWrite[] = [];
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
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        if (this.pending.length > 0) this.flush();
        else if (this.inFlight === 0) this.notifyIdle();
      });
    }
  }

  /** Up to 25 writes with distinct keys (BatchWriteItem rejects a batch naming a key twice). */
  private takeBatch(): PendingWrite[] {
    const batch: PendingWrite[] = [];
    const keys = new Set<string>();
    let index = 0;
    while (index < this.pending.length && batch.length < MAX_BATCH) {
      const write = this.pending[index]!;
      if (keys.has(write.key)) break;
      keys.add(write.key);
      batch.push(write);
      index++;
    }
    this.pending.splice(0, index);
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

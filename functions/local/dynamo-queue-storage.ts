import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriter } from './batch-writer.js';
import { QueueMoveError, type QueueStorage, type ReceiveJournal, type StoredMessage, type StoredQueue } from './queue-storage.js';

/**
 * Queues in the single DynamoDB table: a queue is the partition `QUEUE#<name>`, a message the item `<message id>`,
 * a receive journal the item `~receipts#<journal id>` listing its message ids. Every operation is a write of its own,
 * coalesced with the others of the same queue into BatchWriteItem calls (a BatchWriter per queue, so one busy
 * queue never holds up another). Writes to one key land in the order they were made.
 */

/** Sort keys of receive journals; message ids are hex and dashes, so they never start with `~`. */
const JOURNAL_PREFIX = '~receipts#';

const shared = new WeakMap<DynamoDBClient, Map<string, DynamoQueueStorage>>();

export class DynamoQueueStorage implements QueueStorage {
  private readonly writers = new Map<string, BatchWriter>();

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    if (!tableName) throw new Error('DynamoQueueStorage: tableName is required');
  }

  /** The one storage of a table, so queues built from the same client and table can move messages between them. */
  static of(client: DynamoDBClient, tableName: string): DynamoQueueStorage {
    const byTable = shared.get(client) ?? new Map<string, DynamoQueueStorage>();
    shared.set(client, byTable);
    let storage = byTable.get(tableName);
    if (!storage) {
      storage = new DynamoQueueStorage(client, tableName);
      byTable.set(tableName, storage);
    }
    return storage;
  }

  async load(queue: string): Promise<StoredQueue> {
    let exclusiveStartKey: Record<string, AttributeValue> | undefined;
    const stored: StoredQueue = { messages: [], journals: [] };
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: pkOf(queue) } },
          ConsistentRead: true,
          ExclusiveStartKey: exclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const sk = item.sk?.S;
        if (sk?.startsWith(JOURNAL_PREFIX)) stored.journals.push({ id: sk.slice(JOURNAL_PREFIX.length), messageIds: item.ids?.SS ?? [] });
        else stored.messages.push(this.fromItem(queue, item));
      }
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey);
    return stored;
  }

  put(queue: string, messages: readonly StoredMessage[]): Array<Promise<void>> {
    const writer = this.writerOf(queue);
    return messages.map((message) => writer.put(toItem(queue, message)));
  }

  delete(queue: string, messageId: string): Promise<void> {
    return this.writerOf(queue).delete({ pk: pkOf(queue), sk: messageId });
  }

  putJournal(queue: string, journal: ReceiveJournal): Promise<void> {
    return this.writerOf(queue).put({
      pk: { S: pkOf(queue) },
      sk: { S: `${JOURNAL_PREFIX}${journal.id}` },
      ids: { SS: [...journal.messageIds] },
    });
  }

  deleteJournal(queue: string, journalId: string): Promise<void> {
    return this.writerOf(queue).delete({ pk: pkOf(queue), sk: `${JOURNAL_PREFIX}${journalId}` });
  }

  saveReceiveCount(queue: string, message: StoredMessage): Promise<void> {
    return this.writerOf(queue).put(toItem(queue, message));
  }

  async move(from: string, to: string, message: StoredMessage): Promise<void> {
    await this.writerOf(to).put(toItem(to, message));
    try {
      await this.writerOf(from).delete({ pk: pkOf(from), sk: message.id });
    } catch (error) {
      throw new QueueMoveError(`DynamoQueueStorage: message ${message.id} is in ${to} but could not be deleted from ${from}`, true, {
        cause: error,
      });
    }
  }

  idle(queue: string): Promise<void> {
    return this.writerOf(queue).idle();
  }

  private writerOf(queue: string): BatchWriter {
    let writer = this.writers.get(queue);
    if (!writer) {
      writer = new BatchWriter(this.client, this.tableName);
      this.writers.set(queue, writer);
    }
    return writer;
  }

  private fromItem(queue: string, item: Record<string, AttributeValue>): StoredMessage {
    const id = item.sk?.S;
    const body = item.body?.S;
    if (id === undefined || body === undefined)
      throw new Error(`DurableQueue(${queue}): stored message without sk or body in ${this.tableName}`);
    const firstReceivedAt = item.firstReceivedAt?.N === undefined ? undefined : Number(item.firstReceivedAt.N);
    return {
      id,
      body,
      sentAt: Number(item.sentAt?.N ?? 0),
      receiveCount: Number(item.receiveCount?.N ?? 0),
      ...(firstReceivedAt === undefined ? {} : { firstReceivedAt }),
    };
  }
}

function pkOf(queue: string): string {
  return `QUEUE#${queue}`;
}

function toItem(queue: string, message: StoredMessage): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {
    pk: { S: pkOf(queue) },
    sk: { S: message.id },
    body: { S: message.body },
    sentAt: { N: String(message.sentAt) },
    receiveCount: { N: String(message.receiveCount) },
  };
  if (message.firstReceivedAt !== undefined) item.firstReceivedAt = { N: String(message.firstReceivedAt) };
  return item;
}

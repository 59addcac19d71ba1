import { createHash, randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { QueueMoveError, type QueueStorage, type QueueTransaction, type StoredMessage } from './queue-storage.js';

/**
 * An SQS stand-in for the local runtime, persisted through a QueueStorage (the DynamoDB table, or the
 * embedded database).
 *
 * The storage is the truth for *which* messages exist (a send resolves only once its messages are stored,
 * and an acknowledged message is deleted); memory holds the rest (what is visible, in flight, or waiting out
 * a visibility timeout), so consumers are woken by `send()` and never poll the storage. After a restart every
 * stored message is visible again, as if all visibility timeouts had run out. One process owns a queue.
 *
 * Receive counts survive a crash through a journal: before a batch reaches the handler, one journal lists
 * its message ids, and it is deleted when the batch is settled; on start, every journal left behind adds one
 * receive to the messages it names, so a message that crashes the process still reaches the dead-letter
 * queue. A failed message's count is stored on the message itself. Storage operations per message on the
 * happy path: the send, the delete, and a share of its batch's journal; the storage decides how they are
 * batched (BatchWriteItem calls on DynamoDB, riding with other writes on the embedded database).
 */

// biome-ignore lint/suspicious/noConfusingVoidType: a consumer may return nothing (no failures), as a Lambda SQS handler may.
export type QueueHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void> | SQSBatchResponse | void;

export interface ConsumeOptions {
  /** Most messages per handler call (Lambda's BatchSize). */
  batchSize?: number;
  /** Handler calls running at once (Lambda's maximum concurrency). */
  concurrency?: number;
}

/** Lets a consumer delay a message's next delivery (SQS ChangeMessageVisibility on AWS). */
export interface MessageVisibility {
  /**
   * The message becomes visible `timeoutMs` from now instead of at the end of its visibility timeout
   * (a platform's Retry-After). False when the receipt handle is no longer current (acked, redelivered, moved).
   */
  changeVisibility(receiptHandle: string, timeoutMs: number): boolean;
}

export interface QueueLogger {
  error(message: string, ...detail: unknown[]): void;
}

interface QueueSettings {
  name: string;
  /** How long a received message stays invisible before it can be received again. */
  visibilityTimeoutMs: number;
  /** Receives after which a failing message moves to `deadLetter` (ignored without one, as on SQS). */
  maxReceiveCount: number;
  deadLetter?: DurableQueue;
  logger?: QueueLogger;
}

/**
 * Where the messages are kept: the embedded database's storage, or the DynamoDB table's (DynamoQueueStorage.of,
 * shared by the queues of one table). Given, not made here, so the embedded runtime never loads the AWS SDK.
 */
export type DurableQueueOptions = QueueSettings & { storage: QueueStorage };

export interface QueuedMessage {
  id: string;
  body: string;
  /** Epoch milliseconds. */
  sentAt: number;
  receiveCount: number;
  state: 'visible' | 'invisible' | 'moving';
}

export interface QueueDepth {
  visible: number;
  /** Received and not yet acknowledged, or waiting out a visibility timeout. */
  invisible: number;
  total: number;
}

interface Message {
  id: string;
  body: string;
  sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  state: 'visible' | 'invisible' | 'moving';
  /** The current receipt handle while invisible; a stale handle acknowledges nothing. */
  receipt?: string;
  visibilityTimer?: NodeJS.Timeout;
}

interface Consumer {
  handler: QueueHandler;
  batchSize: number;
  concurrency: number;
  active: number;
}

interface Delivery {
  message: Message;
  receipt: string;
}

const NAME_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;
/** The longest visibility timeout SQS allows (12 hours). */
const MAX_VISIBILITY_MS = 12 * 60 * 60 * 1000;
/** After a failed receive-count write, the messages are offered again this much later. */
const PERSIST_RETRY_MS = 1000;

export class DurableQueue implements MessageVisibility {
  readonly name: string;
  readonly arn: string;
  readonly deadLetter: DurableQueue | undefined;
  private readonly storage: QueueStorage;
  private readonly visibilityTimeoutMs: number;
  private readonly maxReceiveCount: number;
  private readonly logger: QueueLogger;
  private readonly messages = new Map<string, Message>();
  private readonly ready = new IdQueue();
  private readonly consumers: Consumer[] = [];
  private readonly background = new Set<Promise<void>>();
  private starting: Promise<void> | undefined;
  private started = false;
  private pumpScheduled = false;
  private stopped = false;

  constructor(options: DurableQueueOptions) {
    const where = `DurableQueue(${String(options.name)})`;
    if (!NAME_PATTERN.test(options.name ?? '')) throw new Error(`${where}: name must match ${NAME_PATTERN}`);
    if (!options.storage) throw new Error(`${where}: storage is required`);
    if (!(options.visibilityTimeoutMs >= 0 && options.visibilityTimeoutMs <= MAX_VISIBILITY_MS)) {
      throw new Error(`${where}: visibilityTimeoutMs must be between 0 and ${MAX_VISIBILITY_MS}, got ${options.visibilityTimeoutMs}`);
    }
    if (!(Number.isInteger(options.maxReceiveCount) && options.maxReceiveCount >= 1)) {
      throw new Error(`${where}: maxReceiveCount must be an integer >= 1, got ${options.maxReceiveCount}`);
    }
    if (options.deadLetter?.name === options.name) throw new Error(`${where}: a queue cannot be its own dead-letter queue`);
    this.storage = options.storage;
    if (options.deadLetter && options.deadLetter.storage !== this.storage) {
      throw new Error(`${where}: the dead-letter queue ${options.deadLetter.name} must be on the same storage`);
    }
    this.name = options.name;
    this.arn = `arn:aws:sqs:local:000000000000:${options.name}`;
    this.visibilityTimeoutMs = options.visibilityTimeoutMs;
    this.maxReceiveCount = options.maxReceiveCount;
    this.deadLetter = options.deadLetter;
    this.logger = options.logger ?? console;
  }

  /** Loads the stored messages (all visible) and starts delivering to consumers; starts the dead-letter queue too. */
  start(): Promise<void> {
    this.starting ??= (async () => {
      if (this.stopped) throw new Error(`DurableQueue(${this.name}): cannot start a stopped queue`);
      await this.deadLetter?.start();
      await this.load();
      this.started = true;
      this.pump();
    })();
    return this.starting;
  }

  /**
   * Stores the messages; resolves once every one is written, and returns their ids in order. If any write
   * fails it rejects (the caller should retry the lot); the ones written are delivered all the same.
   */
  async send(bodies: readonly string[]): Promise<string[]> {
    const messages = this.newMessages('send', bodies);
    const results = await Promise.allSettled(this.storage.put(this.name, messages.map(stored)));
    this.admit(messages.filter((_, index) => results[index]!.status === 'fulfilled'));
    const failure = results.find((result) => result.status === 'rejected');
    if (failure) {
      throw new Error(
        `DurableQueue(${this.name}).send: could not store ${results.filter((r) => r.status === 'rejected').length} of ${messages.length} messages`,
        { cause: failure.reason },
      );
    }
    return messages.map((message) => message.id);
  }

  /**
   * Puts the messages inside a write another store is making (its outbox), and returns their ids; they are
   * delivered once that write has committed, and never if it did not. The storage must support it.
   */
  sendIn(tx: QueueTransaction, bodies: readonly string[]): string[] {
    if (!this.storage.putIn)
      throw new Error(`DurableQueue(${this.name}).sendIn: its storage cannot write inside another store's transaction`);
    const messages = this.newMessages('sendIn', bodies);
    this.storage.putIn(tx, this.name, messages.map(stored)).then(
      () => this.admit(messages),
      // The write that carried them failed; its maker reports that, and no message exists.
      () => {},
    );
    return messages.map((message) => message.id);
  }

  /** Delivers batches to `handler` as Lambda's SQS integration would, honouring `batchItemFailures`. */
  consume(handler: QueueHandler, options: ConsumeOptions = {}): void {
    const batchSize = options.batchSize ?? 10;
    const concurrency = options.concurrency ?? 1;
    if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 10_000)) {
      throw new Error(`DurableQueue(${this.name}).consume: batchSize must be an integer from 1 to 10000, got ${batchSize}`);
    }
    if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
      throw new Error(`DurableQueue(${this.name}).consume: concurrency must be an integer >= 1, got ${concurrency}`);
    }
    this.consumers.push({ handler, batchSize, concurrency, active: 0 });
    this.pump();
  }

  changeVisibility(receiptHandle: string, timeoutMs: number): boolean {
    if (!(timeoutMs >= 0 && timeoutMs <= MAX_VISIBILITY_MS)) {
      throw new Error(
        `DurableQueue(${this.name}).changeVisibility: timeoutMs must be between 0 and ${MAX_VISIBILITY_MS}, got ${timeoutMs}`,
      );
    }
    const message = this.messages.get(messageIdOf(receiptHandle));
    if (message?.state !== 'invisible' || message.receipt !== receiptHandle) return false;
    this.hideFor(message, timeoutMs);
    return true;
  }

  /** Moves visible messages (all, or those named) to `target`, keeping their ids; returns the ids moved. */
  async moveMessagesTo(target: DurableQueue, options: { messageIds?: readonly string[] } = {}): Promise<string[]> {
    if (target === this) throw new Error(`DurableQueue(${this.name}).moveMessagesTo: source and target are the same queue`);
    if (target.storage !== this.storage) {
      throw new Error(`DurableQueue(${this.name}).moveMessagesTo: cannot move messages to ${target.name}, which is on another storage`);
    }
    const candidates = options.messageIds
      ? options.messageIds.map((id) => this.messages.get(id)).filter((message) => message !== undefined)
      : [...this.messages.values()];
    const moving = candidates.filter((message) => message.state === 'visible');
    await Promise.all(moving.map((message) => this.transfer(message, target, { resetReceiveCount: true })));
    return moving.map((message) => message.id);
  }

  /** Moves messages from the dead-letter queue back into this queue (all, or those named). */
  async redrive(options: { messageIds?: readonly string[] } = {}): Promise<string[]> {
    if (!this.deadLetter) throw new Error(`DurableQueue(${this.name}).redrive: the queue has no dead-letter queue`);
    return this.deadLetter.moveMessagesTo(this, options);
  }

  depth(): QueueDepth {
    let visible = 0;
    let invisible = 0;
    for (const message of this.messages.values()) {
      if (message.state === 'visible') visible++;
      else invisible++;
    }
    return { visible, invisible, total: visible + invisible };
  }

  /** Messages in send order (oldest first), at most `limit`. */
  list(limit = 1000): QueuedMessage[] {
    const sorted = [...this.messages.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return sorted.slice(0, limit).map(({ id, body, sentAt, receiveCount, state }) => ({ id, body, sentAt, receiveCount, state }));
  }

  /** Stops delivering, waits for the batches in flight and their acknowledgements, then stops the dead-letter queue. */
  async stop(): Promise<void> {
    this.stopped = true;
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
    for (const message of this.messages.values()) clearTimeout(message.visibilityTimer);
    await this.storage.idle(this.name);
    await this.deadLetter?.stop();
  }

  private async load(): Promise<void> {
    const { messages, journals } = await this.storage.load(this.name);
    const loaded = messages.map((message): Message => ({ ...message, state: 'visible' }));
    await this.replayJournals(loaded, journals);
    this.admit(loaded);
  }

  /** Batches that were with a handler when the process died count as receives, then their journals go. */
  private async replayJournals(
    loaded: readonly Message[],
    journals: ReadonlyArray<{ id: string; messageIds: readonly string[] }>,
  ): Promise<void> {
    if (journals.length === 0) return;
    const byId = new Map(loaded.map((message) => [message.id, message]));
    const touched = new Set<Message>();
    for (const journal of journals) {
      for (const id of journal.messageIds) {
        const message = byId.get(id);
        if (!message) continue;
        message.receiveCount++;
        touched.add(message);
      }
    }
    // The counts first: a journal deleted before them would lose the receives.
    await Promise.all([...touched].map((message) => this.storage.saveReceiveCount(this.name, stored(message))));
    await Promise.all(journals.map((journal) => this.storage.deleteJournal(this.name, journal.id)));
  }

  /** Makes stored messages known and visible, and wakes consumers; an id already known (a repeated move) is kept as is. */
  private admit(messages: readonly Message[]): void {
    for (const message of messages) {
      if (this.messages.has(message.id)) continue;
      this.messages.set(message.id, message);
      this.ready.push(message.id);
    }
    this.pump();
  }

  private pump(): void {
    if (!this.started || this.stopped) return;
    for (const consumer of this.consumers) {
      while (consumer.active < consumer.concurrency) {
        const deliveries = this.receive(consumer.batchSize);
        if (deliveries.length === 0) return;
        this.runBatch(consumer, deliveries);
      }
    }
  }

  /** Takes up to `max` visible messages, making them invisible; ones past maxReceiveCount go to the dead-letter queue. */
  private receive(max: number): Delivery[] {
    const deliveries: Delivery[] = [];
    const now = Date.now();
    while (deliveries.length < max) {
      const id = this.ready.shift();
      if (id === undefined) break;
      const message = this.messages.get(id);
      if (message?.state !== 'visible') continue;
      if (this.deadLetter && message.receiveCount >= this.maxReceiveCount) {
        this.track(this.deadLetterMessage(message));
        continue;
      }
      message.receiveCount++;
      message.firstReceivedAt ??= now;
      message.receipt = `${message.id}:${message.receiveCount}:${randomUUID()}`;
      this.hideFor(message, this.visibilityTimeoutMs);
      deliveries.push({ message, receipt: message.receipt });
    }
    return deliveries;
  }

  private runBatch(consumer: Consumer, deliveries: Delivery[]): void {
    consumer.active++;
    this.track(
      this.deliver(consumer, deliveries).finally(() => {
        consumer.active--;
        this.pump();
      }),
    );
  }

  /** Work that stop() waits for: batches in flight and moves to the dead-letter queue. */
  private track(work: Promise<void>): void {
    const tracked = work
      .catch((error: unknown) => this.logger.error(`DurableQueue(${this.name}): unexpected failure`, error))
      .finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }

  private async deliver(consumer: Consumer, deliveries: Delivery[]): Promise<void> {
    const journal = newMessageId(Date.now());
    try {
      // Stored before the handler runs, so a message that kills the process still counts as received.
      await this.storage.putJournal(this.name, { id: journal, messageIds: deliveries.map(({ message }) => message.id) });
    } catch (error) {
      this.logger.error(`DurableQueue(${this.name}): could not store receive counts; the messages will be offered again`, error);
      for (const { message, receipt } of deliveries) {
        if (message.receipt !== receipt) continue;
        message.receiveCount--;
        this.hideFor(message, PERSIST_RETRY_MS);
      }
      return;
    }

    const failed = await this.invoke(consumer, deliveries);
    const succeeded = deliveries.filter(({ message }) => !failed.has(message.id));
    await Promise.all([
      ...succeeded.map((delivery) => this.acknowledge(delivery)),
      ...deliveries.filter(({ message }) => failed.has(message.id)).map((delivery) => this.fail(delivery)),
      this.storage.deleteJournal(this.name, journal).catch((error: unknown) => {
        this.logger.error(
          `DurableQueue(${this.name}): could not delete receive journal ${journal}; its messages will count one receive more after a restart`,
          error,
        );
      }),
    ]);
  }

  /** Calls the handler; returns the ids of the messages that failed (all of them when it throws or answers nonsense). */
  private async invoke(consumer: Consumer, deliveries: Delivery[]): Promise<Set<string>> {
    const all = new Set(deliveries.map(({ message }) => message.id));
    try {
      const response = await consumer.handler({ Records: deliveries.map((delivery) => this.toRecord(delivery)) });
      const failures = response?.batchItemFailures ?? [];
      if (!Array.isArray(failures)) throw new Error('batchItemFailures is not an array');
      const failed = new Set<string>();
      for (const failure of failures) {
        const id = failure?.itemIdentifier;
        // Lambda treats an identifier that is empty or not in the batch as a failure of the whole batch.
        if (typeof id !== 'string' || !all.has(id)) throw new Error(`batchItemFailures names '${String(id)}', which is not in the batch`);
        failed.add(id);
      }
      return failed;
    } catch (error) {
      this.logger.error(`DurableQueue(${this.name}): the handler failed the whole batch of ${deliveries.length}`, error);
      return all;
    }
  }

  private async acknowledge({ message, receipt }: Delivery): Promise<void> {
    // A receipt that went stale (the visibility timeout ran out mid-handler) acknowledges nothing, as on SQS.
    if (message.receipt !== receipt || message.state !== 'invisible') return;
    this.forget(message);
    try {
      await this.storage.delete(this.name, message.id);
    } catch (error) {
      this.logger.error(
        `DurableQueue(${this.name}): could not delete acknowledged message ${message.id}; it will be delivered again after a restart`,
        error,
      );
    }
  }

  /** A failed message waits out its visibility timeout, unless it has used up its receives; its count is stored. */
  private async fail({ message, receipt }: Delivery): Promise<void> {
    if (message.receipt !== receipt || message.state !== 'invisible') return;
    if (this.deadLetter && message.receiveCount >= this.maxReceiveCount) {
      await this.deadLetterMessage(message);
      return;
    }
    try {
      await this.storage.saveReceiveCount(this.name, stored(message));
    } catch (error) {
      this.logger.error(`DurableQueue(${this.name}): could not store the receive count of failed message ${message.id}`, error);
    }
  }

  private async deadLetterMessage(message: Message): Promise<void> {
    try {
      await this.transfer(message, this.deadLetter!, { resetReceiveCount: false });
    } catch (error) {
      this.logger.error(`DurableQueue(${this.name}): could not move message ${message.id} to ${this.deadLetter!.name}`, error);
    }
  }

  /** Stores the message in `target` first and deletes it here after, so a crash in between duplicates rather than loses. */
  private async transfer(message: Message, target: DurableQueue, options: { resetReceiveCount: boolean }): Promise<void> {
    clearTimeout(message.visibilityTimer);
    message.state = 'moving';
    message.receipt = undefined;
    const copy: Message = {
      id: message.id,
      body: message.body,
      sentAt: message.sentAt,
      receiveCount: options.resetReceiveCount ? 0 : message.receiveCount,
      state: 'visible',
    };
    try {
      await this.storage.move(this.name, target.name, stored(copy));
    } catch (error) {
      if (error instanceof QueueMoveError && error.storedInTarget) {
        target.admit([copy]);
        this.forget(message);
      } else {
        message.state = 'visible';
        this.ready.push(message.id);
        this.pump();
      }
      throw error;
    }
    target.admit([copy]);
    this.forget(message);
  }

  private hideFor(message: Message, timeoutMs: number): void {
    clearTimeout(message.visibilityTimer);
    message.state = 'invisible';
    const timer = setTimeout(() => this.reveal(message), timeoutMs);
    timer.unref();
    message.visibilityTimer = timer;
  }

  private reveal(message: Message): void {
    if (this.messages.get(message.id) !== message || message.state !== 'invisible') return;
    message.state = 'visible';
    message.receipt = undefined;
    message.visibilityTimer = undefined;
    this.ready.push(message.id);
    this.schedulePump();
  }

  /** Messages whose timeouts end together are revealed by separate timer callbacks; one pump after them all keeps them in one batch. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private forget(message: Message): void {
    clearTimeout(message.visibilityTimer);
    message.receipt = undefined;
    if (this.messages.get(message.id) === message) this.messages.delete(message.id);
  }

  private toRecord({ message, receipt }: Delivery): SQSRecord {
    return {
      messageId: message.id,
      receiptHandle: receipt,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? Date.now()),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(message.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: this.arn,
      awsRegion: 'local',
    };
  }

  private newMessages(operation: string, bodies: readonly string[]): Message[] {
    if (this.stopped) throw new Error(`DurableQueue(${this.name}): ${operation} after stop`);
    bodies.forEach((body, index) => {
      if (typeof body !== 'string')
        throw new Error(`DurableQueue(${this.name}).${operation}: body ${index} is ${typeof body}, not a string`);
    });
    const sentAt = Date.now();
    return bodies.map((body): Message => ({ id: newMessageId(sentAt), body, sentAt, receiveCount: 0, state: 'visible' }));
  }
}

/** A FIFO of message ids without Array.shift's O(n) copy. */
class IdQueue {
  private items: string[] = [];
  private head = 0;

  push(id: string): void {
    this.items.push(id);
  }

  shift(): string | undefined {
    if (this.head >= this.items.length) return undefined;
    const id = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return id;
  }
}

const processTag = randomUUID().slice(0, 8);
let sequence = 0;

/** Sorts by send time (hex epoch ms first), unique across processes (a random tag per process). */
function newMessageId(now: number): string {
  sequence = (sequence + 1) % 0x1_0000_0000;
  return `${now.toString(16).padStart(12, '0')}-${processTag}-${sequence.toString(16).padStart(8, '0')}`;
}

function stored({ id, body, sentAt, receiveCount, firstReceivedAt }: Message): StoredMessage {
  return firstReceivedAt === undefined ? { id, body, sentAt, receiveCount } : { id, body, sentAt, receiveCount, firstReceivedAt };
}

function messageIdOf(receiptHandle: string): string {
  return receiptHandle.slice(0, receiptHandle.indexOf(':'));
}

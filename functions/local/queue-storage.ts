/**
 * Where a DurableQueue keeps its messages. The queue holds visibility, receipts and consumers in memory; a
 * storage only makes messages, receive journals and receive counts survive a restart. One storage may serve
 * several queues (each call names its queue); a move needs both queues on the same storage.
 *
 * Operations that return a promise for durability (`put`, `move`) are awaited by the queue; the others
 * (`delete`, journals, receive counts) may be applied later by a storage that batches them, as long as they
 * reach disk in the order they were made and `idle()` waits for them.
 */
export interface StoredMessage {
  /** Sorts by send time; unique across processes. */
  id: string;
  body: string;
  /** Epoch milliseconds. */
  sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
}

/** The messages of one batch, stored before the batch reaches its handler and deleted once it is settled. */
export interface ReceiveJournal {
  id: string;
  messageIds: readonly string[];
}

export interface StoredQueue {
  messages: StoredMessage[];
  /** Journals of batches that were with a handler when the process stopped: each adds one receive to its messages. */
  journals: ReceiveJournal[];
}

/** The part of a write transaction another store is making that a queue writes its messages into. */
export interface QueueTransaction {
  put(key: string, value: unknown): void;
  /** Called once the commit carrying the write is durable (`true`), or when it was rolled back or failed (`false`). */
  afterCommit(callback: (committed: boolean) => void): void;
}

export interface QueueStorage {
  /** Every stored message of the queue (any order) and the receive journals left behind. */
  load(queue: string): Promise<StoredQueue>;
  /** Stores new messages: one promise per message, settled once that message is durable (several may share one write). */
  put(queue: string, messages: readonly StoredMessage[]): Array<Promise<void>>;
  /**
   * Stores new messages inside a write another store is making; resolves once that write has committed,
   * rejects if it did not. Only storages that share a database with other stores have it.
   */
  putIn?(tx: QueueTransaction, queue: string, messages: readonly StoredMessage[]): Promise<void>;
  /** An acknowledged message. */
  delete(queue: string, messageId: string): Promise<void>;
  putJournal(queue: string, journal: ReceiveJournal): Promise<void>;
  deleteJournal(queue: string, journalId: string): Promise<void>;
  /** A message's receive count (and first receive), kept after a failed delivery; a message no longer stored stays gone. */
  saveReceiveCount(queue: string, message: StoredMessage): Promise<void>;
  /**
   * Stores `message` in `to` (as given, keeping its id), then removes it from `from`: a crash in between may
   * leave it in both, never in neither. A failure after the first step rejects with a QueueMoveError whose
   * `storedInTarget` is true.
   */
  move(from: string, to: string, message: StoredMessage): Promise<void>;
  /** Resolves once every operation made so far for the queue is durable. */
  idle(queue: string): Promise<void>;
}

export class QueueMoveError extends Error {
  override readonly name = 'QueueMoveError';
  constructor(
    message: string,
    readonly storedInTarget: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

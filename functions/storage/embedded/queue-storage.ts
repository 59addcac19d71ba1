import type { QueueStorage, QueueTransaction, ReceiveJournal, StoredMessage, StoredQueue } from '../../local/queue-storage.js';
import type { EmbeddedDatabase, WriteTx } from './database.js';

/**
 * Durable queues in the embedded database: a message is `queue/<name>/m/<message id>`, a receive journal
 * `queue/<name>/j/<journal id>`.
 *
 * Only what must exist before its caller goes on gets a write of its own: a send (resolved once durable) and
 * a move (store in the target and remove from the source, in one transaction, so a move is never half done).
 * Acknowledgements, receive journals and receive counts are staged: they ride with the next write, or the
 * database's flush within its `stagedFlushMs`. So a journal is on disk before any write the handler makes;
 * a process killed before anything was written since a receive loses that receive's count, never a message.
 *
 * `putIn` adds messages to a write another store is making (its outbox); they are delivered once that write
 * is durable, and never if it was rolled back.
 */
export class EmbeddedQueueStorage implements QueueStorage {
  constructor(private readonly db: EmbeddedDatabase) {
    if (!db) throw new Error('EmbeddedQueueStorage: a database is required');
  }

  async load(queue: string): Promise<StoredQueue> {
    const stored: StoredQueue = { messages: [], journals: [] };
    for (const { key, value } of this.db.range<StoredMessageValue>({ prefix: messagePrefix(queue) })) {
      stored.messages.push(fromValue(queue, key.slice(messagePrefix(queue).length), value));
    }
    for (const { key, value } of this.db.range<JournalValue>({ prefix: journalPrefix(queue) })) {
      stored.journals.push({ id: key.slice(journalPrefix(queue).length), messageIds: value.messageIds ?? [] });
    }
    return stored;
  }

  put(queue: string, messages: readonly StoredMessage[]): Array<Promise<void>> {
    if (messages.length === 0) return [];
    let written: Promise<void>;
    try {
      written = this.db.write((tx) => {
        for (const message of messages) tx.put(messageKey(queue, message.id), toValue(message));
      });
    } catch (error) {
      written = Promise.reject(error);
    }
    return messages.map(() => written);
  }

  putIn(tx: QueueTransaction, queue: string, messages: readonly StoredMessage[]): Promise<void> {
    for (const message of messages) tx.put(messageKey(queue, message.id), toValue(message));
    return new Promise<void>((resolve, reject) => {
      tx.afterCommit((committed) => {
        if (committed) resolve();
        else reject(new Error(`EmbeddedQueueStorage(${queue}): the write that carried ${messages.length} messages did not commit`));
      });
    });
  }

  async delete(queue: string, messageId: string): Promise<void> {
    const key = messageKey(queue, messageId);
    this.db.stage((tx) => {
      tx.remove(key);
    });
  }

  async putJournal(queue: string, journal: ReceiveJournal): Promise<void> {
    const key = journalKey(queue, journal.id);
    const value: JournalValue = { messageIds: [...journal.messageIds] };
    this.db.stage((tx) => tx.put(key, value));
  }

  async deleteJournal(queue: string, journalId: string): Promise<void> {
    const key = journalKey(queue, journalId);
    this.db.stage((tx) => tx.remove(key));
  }

  async saveReceiveCount(queue: string, message: StoredMessage): Promise<void> {
    const key = messageKey(queue, message.id);
    const value = toValue(message);
    // Applied later: a message acknowledged or moved meanwhile must stay gone.
    this.db.stage((tx) => {
      if (tx.get(key) !== undefined) tx.put(key, value);
    });
  }

  async move(from: string, to: string, message: StoredMessage): Promise<void> {
    await this.db.write((tx: WriteTx) => {
      tx.put(messageKey(to, message.id), toValue(message));
      tx.remove(messageKey(from, message.id));
    });
  }

  idle(_queue: string): Promise<void> {
    return this.db.flushStaged();
  }
}

interface StoredMessageValue {
  body: string;
  sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
}

interface JournalValue {
  messageIds: string[];
}

function messagePrefix(queue: string): string {
  return `queue/${queue}/m/`;
}

function journalPrefix(queue: string): string {
  return `queue/${queue}/j/`;
}

function messageKey(queue: string, id: string): string {
  return `${messagePrefix(queue)}${id}`;
}

function journalKey(queue: string, id: string): string {
  return `${journalPrefix(queue)}${id}`;
}

function toValue(message: StoredMessage): StoredMessageValue {
  const value: StoredMessageValue = { body: message.body, sentAt: message.sentAt, receiveCount: message.receiveCount };
  if (message.firstReceivedAt !== undefined) value.firstReceivedAt = message.firstReceivedAt;
  return value;
}

function fromValue(queue: string, id: string, value: StoredMessageValue): StoredMessage {
  if (typeof value?.body !== 'string') throw new Error(`EmbeddedQueueStorage(${queue}): stored message ${id} has no body`);
  const message: StoredMessage = { id, body: value.body, sentAt: Number(value.sentAt ?? 0), receiveCount: Number(value.receiveCount ?? 0) };
  if (value.firstReceivedAt !== undefined) message.firstReceivedAt = value.firstReceivedAt;
  return message;
}

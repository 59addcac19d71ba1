import type { SendMessageBatchCommand, SendMessageBatchCommandOutput, SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import type { ActionCommand } from '../core/action-command.js';
import type { CommandQueue } from '../core/ports.js';
import { packBatches, utf8Bytes } from './batches.js';
import { CommandQueueError, EntryTooLargeError } from './errors.js';

/** The part of SQSClient this adapter uses; tests hand in a recorder. */
export interface SendMessageBatchSender {
  send(command: SendMessageBatchCommand): Promise<SendMessageBatchCommandOutput>;
}

export interface SqsCommandQueueOptions {
  queueUrl: string;
  /** Default: an SQSClient for the function's own region and credentials. */
  client?: SendMessageBatchSender;
  /** Messages are packed up to this many bytes per request (SQS's classic 256 KiB). */
  maxRequestBytes?: number;
  /** A message above this is refused before sending (SQS's per-message ceiling is 1 MiB). */
  maxMessageBytes?: number;
}

/** Loaded on first send, so a function that never queues never loads the SQS client at its cold start. */
const sqs = () => import('@aws-sdk/client-sqs');

const SEND_MESSAGE_BATCH_MAX_ENTRIES = 10;
const KIB = 1024;

/**
 * Puts action commands on the actions queue, one JSON message per command. A standard queue needs no
 * deduplication id: the command id is the idempotency key the act function checks.
 */
export class SqsCommandQueue implements CommandQueue {
  readonly #queueUrl: string;
  #client: SendMessageBatchSender | undefined;
  readonly #maxRequestBytes: number;
  readonly #maxMessageBytes: number;

  constructor(options: SqsCommandQueueOptions) {
    if (!options.queueUrl) throw new TypeError('SqsCommandQueue: queueUrl is required');
    this.#queueUrl = options.queueUrl;
    this.#client = options.client;
    this.#maxRequestBytes = options.maxRequestBytes ?? 256 * KIB;
    this.#maxMessageBytes = options.maxMessageBytes ?? 1024 * KIB;
  }

  async send(commands: readonly ActionCommand[]): Promise<void> {
    const messages = commands.map((command) => ({ command, body: JSON.stringify(command) }));
    for (const { command, body } of messages) {
      const bytes = utf8Bytes(body);
      if (bytes > this.#maxMessageBytes)
        throw new EntryTooLargeError(`command ${command.id} on the actions queue`, bytes, this.#maxMessageBytes);
    }
    if (messages.length === 0) return;
    const { SendMessageBatchCommand, SQSClient } = await sqs();
    this.#client ??= new SQSClient({});
    const failed: Array<{ commandId: string; code?: string; message?: string; senderFault?: boolean }> = [];
    for (const batch of packBatches(messages, ({ body }) => utf8Bytes(body), {
      maxCount: SEND_MESSAGE_BATCH_MAX_ENTRIES,
      maxBytes: this.#maxRequestBytes,
    })) {
      // Entry ids only need to be unique within one request; positions are, even if a command repeats.
      const entries: SendMessageBatchRequestEntry[] = batch.map(({ body }, index) => ({ Id: String(index), MessageBody: body }));
      try {
        const output = await this.#client.send(new SendMessageBatchCommand({ QueueUrl: this.#queueUrl, Entries: entries }));
        for (const failure of output.Failed ?? []) {
          const command = batch[Number(failure.Id)]?.command;
          failed.push({
            commandId: command?.id ?? `entry ${failure.Id}`,
            code: failure.Code,
            message: failure.Message,
            senderFault: failure.SenderFault,
          });
        }
        const answered = (output.Successful?.length ?? 0) + (output.Failed?.length ?? 0);
        if (answered < batch.length) {
          const known = new Set([...(output.Successful ?? []), ...(output.Failed ?? [])].map((entry) => entry.Id));
          batch.forEach(({ command }, index) => {
            if (!known.has(String(index))) failed.push({ commandId: command.id, code: 'NoResult' });
          });
        }
      } catch (error) {
        const code = error instanceof Error ? error.name : 'Error';
        const message = error instanceof Error ? error.message : String(error);
        for (const { command } of batch) failed.push({ commandId: command.id, code, message });
      }
    }
    if (failed.length > 0) {
      const codes = [...new Set(failed.map((f) => f.code))].join(', ');
      throw new CommandQueueError(
        `SendMessageBatch to ${this.#queueUrl} failed for ${failed.length} of ${commands.length} commands (${codes})`,
        { failed },
      );
    }
  }
}

import type { SendMessageCommand, SendMessageCommandOutput } from '@aws-sdk/client-sqs';
import type { ActionCommand } from '../core/action-command.js';
import type { DeadLetters } from '../core/ports.js';

/** The part of SQSClient this adapter uses. */
export interface SendMessageSender {
  send(command: SendMessageCommand): Promise<SendMessageCommandOutput>;
}

/** A command that failed for good goes to the actions dead-letter queue with its reason, ready for a redrive. */
export class SqsDeadLetters implements DeadLetters {
  constructor(private readonly options: { queueUrl: () => string; client: SendMessageSender }) {}

  async send(command: ActionCommand, error: string): Promise<void> {
    // Loaded on first use: most invocations never dead-letter anything.
    const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
    await this.options.client.send(
      new SendMessageCommand({
        QueueUrl: this.options.queueUrl(),
        MessageBody: JSON.stringify({ ...command, deadLetterReason: error }),
      }),
    );
  }
}

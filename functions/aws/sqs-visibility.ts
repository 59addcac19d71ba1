import type { ChangeMessageVisibilityCommand, ChangeMessageVisibilityCommandOutput } from '@aws-sdk/client-sqs';

/** The part of SQSClient this adapter uses. */
export interface ChangeVisibilitySender {
  send(command: ChangeMessageVisibilityCommand): Promise<ChangeMessageVisibilityCommandOutput>;
}

/** SQS's ceiling on a message's visibility timeout: 12 hours. */
const MAX_VISIBILITY_SECONDS = 43_200;

/** Delays a received message's next delivery (ChangeMessageVisibility), to retry a command later. */
export class SqsVisibility {
  constructor(private readonly options: { queueUrl: () => string; client: ChangeVisibilitySender }) {}

  async delay(receiptHandle: string, ms: number): Promise<void> {
    // Loaded on first use: most invocations retry nothing.
    const { ChangeMessageVisibilityCommand } = await import('@aws-sdk/client-sqs');
    await this.options.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.options.queueUrl(),
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.min(MAX_VISIBILITY_SECONDS, Math.ceil(ms / 1000)),
      }),
    );
  }
}

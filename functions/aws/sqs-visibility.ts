import type { ChangeMessageVisibilityCommand, ChangeMessageVisibilityCommandOutput } from '@aws-sdk/client-sqs';

/** The part of SQSClient this adapter uses. */
export interface ChangeVisibilitySender {
  send(command: ChangeMessageVisibilityCommand): Promise<ChangeMessageVisibilityCommandOutput>;
}

/** SQS's ceiling on a message's visibility: 12 hours, counted from when the message was received, not from this call. */
const MAX_VISIBILITY_SECONDS = 43_200;

/**
 * Time that may have passed between the receive and the call: Lambda's poller holds a batch before the invocation
 * and act runs for up to its timeout (30 s). SQS refuses the whole call when the sum passes 12 hours.
 */
export const RECEIPT_MARGIN_SECONDS = 300;

/** The longest delay this adapter asks for: SQS's 12 hours less the time that may have passed since the receive. */
export const MAX_DELAY_SECONDS = MAX_VISIBILITY_SECONDS - RECEIPT_MARGIN_SECONDS;

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
        VisibilityTimeout: Math.max(0, Math.min(MAX_DELAY_SECONDS, Math.ceil(ms / 1000))),
      }),
    );
  }
}

import type { SQSClient } from '@aws-sdk/client-sqs';

/** The most messages one ReceiveMessage returns, and one ChangeMessageVisibilityBatch takes. */
const SQS_BATCH = 10;
/** The most dead letters one listing reads from SQS: ten receives. */
export const SQS_DEAD_LETTERS_LISTED = 100;
/**
 * How long a listed message stays hidden while the listing reads on, so that one listing never shows a message
 * twice; each batch is made visible again as soon as the listing is done with it.
 */
const PEEK_SECONDS = 20;

/**
 * The actions dead-letter queue in SQS, for the api function: a listing, and a redrive back to the actions queue.
 *
 * SQS has no read that leaves a message untouched. A listing receives up to 100 messages (ten ReceiveMessage calls,
 * each message hidden for 20 s so the next call gets others) and deletes none: it makes each batch visible again at
 * once (ChangeMessageVisibilityBatch to 0). So a listing is a sample when the queue holds more than 100, and a message
 * that was being listed when the function stopped stays hidden for up to 20 s. Receiving also adds to each message's
 * receive count, which on a dead-letter queue (no redrive policy of its own) has no effect.
 *
 * A redrive is SQS's own move task (StartMessageMoveTask, source the dead-letter queue, destination the actions
 * queue): it runs on in SQS after the request is answered. It answers the number of messages waiting when it started
 * (ApproximateNumberOfMessages, about that many) and the task handle. SQS runs one move task per queue at a time.
 */
export class SqsDeadLetterQueue {
  constructor(
    private readonly options: {
      queueUrl: () => string;
      queueArn: () => string;
      destinationArn: () => string;
      client: Pick<SQSClient, 'send'>;
    },
  ) {}

  async list(limit: number): Promise<Array<{ id: string; body: unknown }>> {
    const { ReceiveMessageCommand, ChangeMessageVisibilityBatchCommand } = await import('@aws-sdk/client-sqs');
    const QueueUrl = this.options.queueUrl();
    const wanted = Math.min(limit, SQS_DEAD_LETTERS_LISTED);
    const seen = new Map<string, { id: string; body: unknown }>();
    const hidden: Array<{ Id: string; ReceiptHandle: string }> = [];
    try {
      while (seen.size < wanted) {
        const received = await this.options.client.send(
          new ReceiveMessageCommand({
            QueueUrl,
            MaxNumberOfMessages: Math.min(SQS_BATCH, wanted - seen.size),
            VisibilityTimeout: PEEK_SECONDS,
            // Long polling asks every SQS server, so a small queue is read whole rather than sampled.
            WaitTimeSeconds: 1,
          }),
        );
        const messages = received.Messages ?? [];
        if (messages.length === 0) break;
        for (const message of messages) {
          if (message.ReceiptHandle) hidden.push({ Id: String(hidden.length), ReceiptHandle: message.ReceiptHandle });
          const id = message.MessageId ?? '';
          if (!seen.has(id)) seen.set(id, { id, body: parsed(message.Body ?? '') });
        }
      }
    } finally {
      for (let start = 0; start < hidden.length; start += SQS_BATCH) {
        await this.options.client.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl,
            Entries: hidden.slice(start, start + SQS_BATCH).map((entry) => ({ ...entry, VisibilityTimeout: 0 })),
          }),
        );
      }
    }
    return [...seen.values()];
  }

  async redrive(): Promise<{ redriven: number; task: string }> {
    const { GetQueueAttributesCommand, StartMessageMoveTaskCommand } = await import('@aws-sdk/client-sqs');
    const attributes = await this.options.client.send(
      new GetQueueAttributesCommand({ QueueUrl: this.options.queueUrl(), AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    const waiting = Number(attributes.Attributes?.ApproximateNumberOfMessages ?? 0);
    let started: { TaskHandle?: string };
    try {
      started = await this.options.client.send(
        new StartMessageMoveTaskCommand({ SourceArn: this.options.queueArn(), DestinationArn: this.options.destinationArn() }),
      );
    } catch (error) {
      // SQS refuses a second move task while one from the same queue runs (UnsupportedOperation).
      if ((error as { name?: unknown }).name === 'UnsupportedOperation') throw new RedriveRefusedError((error as Error).message);
      throw error;
    }
    return { redriven: Number.isFinite(waiting) ? waiting : 0, task: started.TaskHandle ?? '' };
  }
}

/** SQS would not start the redrive (the api answers 409 with its reason; functions/app/dead-letter-routes.ts). */
export class RedriveRefusedError extends Error {
  constructor(reason: string) {
    super(`SQS did not start the redrive: ${reason}`);
    this.name = 'RedriveRefusedError';
  }
}

/** A message body as JSON when it is JSON (a command), else the text itself. */
function parsed(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

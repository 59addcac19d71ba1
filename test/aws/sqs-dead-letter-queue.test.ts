import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { deadLetterRoutes } from '../../functions/app/dead-letter-routes.js';
import { SqsDeadLetterQueue } from '../../functions/aws/sqs-dead-letter-queue.js';
import { RecordingClient } from './recorder.js';

const DLQ_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/foghorn-actions-dlq';
const DLQ_ARN = 'arn:aws:sqs:us-east-1:123456789012:foghorn-actions-dlq';
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:foghorn-actions';

type Command = { input: Record<string, unknown>; constructor: { name: string } };

function queueOver(client: RecordingClient<Command, unknown>) {
  return new SqsDeadLetterQueue({
    queueUrl: () => DLQ_URL,
    queueArn: () => DLQ_ARN,
    destinationArn: () => QUEUE_ARN,
    client: client as never,
  });
}

const letter = (n: number) => ({
  MessageId: `m-${n}`,
  ReceiptHandle: `r-${n}`,
  Body: JSON.stringify({ id: `c-${n}`, type: 'reply', ruleId: 'faq', deadLetterReason: 'HTTP 500' }),
});

describe('SqsDeadLetterQueue', () => {
  it('lists by receiving with a short visibility timeout, deletes nothing, and makes every received message visible again', async () => {
    // Two batches of messages, then an empty receive: the listing ends there.
    const batches = [[letter(1), letter(2)], [letter(3), { MessageId: 'm-4', ReceiptHandle: 'r-4', Body: 'not json' }], []];
    let receives = 0;
    const client = new RecordingClient<Command, unknown>((command) =>
      command instanceof ReceiveMessageCommand ? { Messages: batches[receives++] } : {},
    );
    const listed = await queueOver(client).list(1000);
    expect(listed).toEqual([
      { id: 'm-1', body: { id: 'c-1', type: 'reply', ruleId: 'faq', deadLetterReason: 'HTTP 500' } },
      { id: 'm-2', body: { id: 'c-2', type: 'reply', ruleId: 'faq', deadLetterReason: 'HTTP 500' } },
      { id: 'm-3', body: { id: 'c-3', type: 'reply', ruleId: 'faq', deadLetterReason: 'HTTP 500' } },
      { id: 'm-4', body: 'not json' },
    ]);
    expect(client.commands.map((command) => command.constructor.name)).toEqual([
      'ReceiveMessageCommand',
      'ReceiveMessageCommand',
      'ReceiveMessageCommand',
      'ChangeMessageVisibilityBatchCommand',
    ]);
    const receive = { QueueUrl: DLQ_URL, MaxNumberOfMessages: 10, VisibilityTimeout: 20, WaitTimeSeconds: 1 };
    expect(client.inputs.slice(0, 3)).toEqual([receive, receive, receive]);
    expect(client.inputs[3]).toEqual({
      QueueUrl: DLQ_URL,
      Entries: ['r-1', 'r-2', 'r-3', 'r-4'].map((ReceiptHandle, i) => ({ Id: String(i), ReceiptHandle, VisibilityTimeout: 0 })),
    });
  });

  it('reads at most 100 (ten receives), and releases them in batches of ten even when a receive fails', async () => {
    let receives = 0;
    const client = new RecordingClient<Command, unknown>((command) => {
      if (!(command instanceof ReceiveMessageCommand)) return {};
      receives++;
      if (receives === 3) throw Object.assign(new Error('throttled'), { name: 'RequestThrottled' });
      return { Messages: Array.from({ length: 10 }, (_, i) => letter(receives * 100 + i)) };
    });
    await expect(queueOver(client).list(1000)).rejects.toThrow('throttled');
    const releases = client.commands.filter((command) => command instanceof ChangeMessageVisibilityBatchCommand);
    expect(releases.map((command) => (command.input.Entries as unknown[]).length)).toEqual([10, 10]);

    let full = 0;
    const many = new RecordingClient<Command, unknown>((command) =>
      command instanceof ReceiveMessageCommand ? { Messages: Array.from({ length: 10 }, (_, i) => letter(++full + i * 0)) } : {},
    );
    expect(await queueOver(many).list(1000)).toHaveLength(100);
    expect(many.commands.filter((command) => command instanceof ReceiveMessageCommand)).toHaveLength(10);
  });

  it('redrives with one move task from the dead-letter queue to the actions queue, answering how many were waiting', async () => {
    const client = new RecordingClient<Command, unknown>((command) =>
      command instanceof GetQueueAttributesCommand
        ? { Attributes: { ApproximateNumberOfMessages: '7' } }
        : command instanceof StartMessageMoveTaskCommand
          ? { TaskHandle: 'eyJ0YXNrSWQiOiIx' }
          : {},
    );
    expect(await queueOver(client).redrive()).toEqual({ redriven: 7, task: 'eyJ0YXNrSWQiOiIx' });
    expect(client.commands.map((command) => command.constructor.name)).toEqual([
      'GetQueueAttributesCommand',
      'StartMessageMoveTaskCommand',
    ]);
    expect(client.inputs).toEqual([
      { QueueUrl: DLQ_URL, AttributeNames: ['ApproximateNumberOfMessages'] },
      { SourceArn: DLQ_ARN, DestinationArn: QUEUE_ARN },
    ]);
  });

  it('answers 409 through the api route when SQS refuses a second move task, and 404 for a queue it has not', async () => {
    const client = new RecordingClient<Command, unknown>((command) => {
      if (command instanceof StartMessageMoveTaskCommand)
        throw Object.assign(new Error('There is already a task running'), { name: 'UnsupportedOperation' });
      return { Attributes: { ApproximateNumberOfMessages: '2' } };
    });
    const [, redrive] = deadLetterRoutes({ actions: queueOver(client) });
    const request = (queue: string) => ({ params: { queue }, query: new URLSearchParams(), body: Buffer.alloc(0) });
    expect(await redrive!.handle(request('actions'))).toEqual({
      status: 409,
      body: { error: 'SQS did not start the redrive: There is already a task running', detail: { queue: 'actions' } },
    });
    expect(await redrive!.handle(request('events'))).toEqual({
      status: 404,
      body: { error: "no queue 'events'", detail: { queues: ['actions'] } },
    });
  });
});

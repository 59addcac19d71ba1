import type { SQSEvent } from 'aws-lambda';

/**
 * What an SQS event source mapping hands a function: each body as a record, received `receiveCount` times, with
 * the ids `id(index)` gives (its receipt handle the same with `r` for `m`).
 */
export function sqsBatch(
  bodies: readonly string[],
  options: { receiveCount?: number; id?: (index: number) => string; queue?: string } = {},
): SQSEvent {
  const receiveCount = options.receiveCount ?? 1;
  const id = options.id ?? ((index: number) => `m-${index}`);
  return {
    Records: bodies.map((body, index) => ({
      messageId: id(index),
      receiptHandle: id(index).replace(/^m/, 'r'),
      body,
      attributes: {
        ApproximateReceiveCount: String(receiveCount),
        SentTimestamp: '0',
        SenderId: 'test',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:us-east-1:123456789012:${options.queue ?? 'queue'}`,
      awsRegion: 'us-east-1',
    })),
  };
}

import type { ChangeMessageVisibilityCommand, ChangeMessageVisibilityCommandOutput } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { MAX_DELAY_SECONDS, RECEIPT_MARGIN_SECONDS, SqsVisibility } from '../../functions/aws/sqs-visibility.js';
import { RecordingClient } from './recorder.js';

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/prod-foghorn-actions';

function visibility() {
  const client = new RecordingClient<ChangeMessageVisibilityCommand, ChangeMessageVisibilityCommandOutput>(() => ({ $metadata: {} }));
  return { client, adapter: new SqsVisibility({ queueUrl: () => QUEUE_URL, client }) };
}

describe('SqsVisibility', () => {
  it('asks SQS to hide the message for the delay, rounded up to whole seconds', async () => {
    const { client, adapter } = visibility();
    await adapter.delay('receipt-1', 90_500);
    expect(client.inputs).toEqual([{ QueueUrl: QUEUE_URL, ReceiptHandle: 'receipt-1', VisibilityTimeout: 91 }]);
  });

  it('stays under the 12-hour cap counted from the receive, which SQS would refuse the call for reaching', async () => {
    const { client, adapter } = visibility();
    await adapter.delay('receipt-1', 12 * 3_600_000);
    await adapter.delay('receipt-2', 48 * 3_600_000);
    const timeouts = client.inputs.map((input) => input.VisibilityTimeout);
    expect(timeouts).toEqual([MAX_DELAY_SECONDS, MAX_DELAY_SECONDS]);
    // A call made this long after the receive still ends within 12 hours of it.
    expect(MAX_DELAY_SECONDS + RECEIPT_MARGIN_SECONDS).toBe(43_200);
    expect(RECEIPT_MARGIN_SECONDS).toBeGreaterThanOrEqual(30);
  });

  it('makes a message visible again at once for a delay of zero or less', async () => {
    const { client, adapter } = visibility();
    await adapter.delay('receipt-1', -5);
    expect(client.inputs[0]?.VisibilityTimeout).toBe(0);
  });
});

import { createHash } from 'node:crypto';
import { type SendMessageBatchCommand, type SendMessageBatchCommandOutput, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { CommandQueueError, EntryTooLargeError } from '../../functions/aws/errors.js';
import { SqsCommandQueue } from '../../functions/aws/sqs-command-queue.js';
import { type ActionCommand, actionCommandId } from '../../functions/core/action-command.js';
import { loopbackClientConfig, startAwsJsonServer } from './loopback-aws.js';
import { RecordingClient } from './recorder.js';

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/foghorn-actions';

function sampleCommand(n: number, text = `thanks ${n}`): ActionCommand {
  return {
    id: actionCommandId(`generic:${n}`, 'faq', 0),
    eventId: `generic:${n}`,
    ruleId: 'faq',
    index: 0,
    type: 'reply',
    params: { text },
    event: {
      id: `generic:${n}`,
      platform: 'generic',
      kind: 'message',
      text: 'where is my order?',
      author: { id: 'u1' },
      channel: { id: 'c1' },
      thread: {},
      createdAt: '2026-11-22T01:00:00.000Z',
      receivedAt: '2026-11-22T01:00:01.000Z',
    },
    createdAt: '2026-11-22T01:00:02.000Z',
  };
}

function accepting(): RecordingClient<SendMessageBatchCommand, SendMessageBatchCommandOutput> {
  return new RecordingClient((command) => ({
    Successful: (command.input.Entries ?? []).map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}`, MD5OfMessageBody: 'x' })),
    Failed: [],
    $metadata: {},
  }));
}

describe('SqsCommandQueue', () => {
  it('sends each command as one JSON message to the queue', async () => {
    const client = accepting();
    const command = sampleCommand(1);
    await new SqsCommandQueue({ queueUrl: QUEUE_URL, client }).send([command]);
    expect(client.inputs).toEqual([{ QueueUrl: QUEUE_URL, Entries: [{ Id: '0', MessageBody: JSON.stringify(command) }] }]);
  });

  it('sends nothing for no commands', async () => {
    const client = accepting();
    await new SqsCommandQueue({ queueUrl: QUEUE_URL, client }).send([]);
    expect(client.commands).toHaveLength(0);
  });

  it('batches by 10 messages with ids unique within each request, in order', async () => {
    const client = accepting();
    const commands = Array.from({ length: 21 }, (_, i) => sampleCommand(i));
    await new SqsCommandQueue({ queueUrl: QUEUE_URL, client }).send(commands);
    expect(client.inputs.map((input) => input.Entries?.length)).toEqual([10, 10, 1]);
    for (const input of client.inputs) {
      const ids = (input.Entries ?? []).map((entry) => entry.Id);
      expect(new Set(ids).size).toBe(ids.length);
    }
    const sent = client.inputs
      .flatMap((input) => input.Entries ?? [])
      .map((entry) => (JSON.parse(entry.MessageBody ?? '{}') as ActionCommand).id);
    expect(sent).toEqual(commands.map((c) => c.id));
  });

  it('sends the same command twice in one batch without an id clash', async () => {
    const client = accepting();
    await new SqsCommandQueue({ queueUrl: QUEUE_URL, client }).send([sampleCommand(1), sampleCommand(1)]);
    expect(client.inputs[0]?.Entries?.map((entry) => entry.Id)).toEqual(['0', '1']);
  });

  it('batches by the 256 KiB request size', async () => {
    const client = accepting();
    const big = (n: number) => sampleCommand(n, 'x'.repeat(120 * 1024));
    await new SqsCommandQueue({ queueUrl: QUEUE_URL, client }).send([big(1), big(2), big(3)]);
    expect(client.inputs.map((input) => input.Entries?.length)).toEqual([2, 1]);
  });

  it('throws CommandQueueError naming the commands SQS refused', async () => {
    const client = new RecordingClient<SendMessageBatchCommand, SendMessageBatchCommandOutput>(() => ({
      Successful: [{ Id: '0', MessageId: 'm0', MD5OfMessageBody: 'x' }],
      Failed: [{ Id: '1', Code: 'InternalError', Message: 'try later', SenderFault: false }],
      $metadata: {},
    }));
    const commands = [sampleCommand(1), sampleCommand(2)];
    const error = await new SqsCommandQueue({ queueUrl: QUEUE_URL, client }).send(commands).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandQueueError);
    expect((error as CommandQueueError).status).toBeGreaterThanOrEqual(500);
    expect((error as Error).message).toContain('foghorn-actions');
    expect((error as CommandQueueError).detail).toEqual({
      failed: [{ commandId: commands[1]?.id, code: 'InternalError', message: 'try later', senderFault: false }],
    });
  });

  it('treats an entry missing from the answer as failed', async () => {
    const client = new RecordingClient<SendMessageBatchCommand, SendMessageBatchCommandOutput>(() => ({
      Successful: [{ Id: '0', MessageId: 'm0', MD5OfMessageBody: 'x' }],
      Failed: [],
      $metadata: {},
    }));
    const commands = [sampleCommand(1), sampleCommand(2)];
    const error = await new SqsCommandQueue({ queueUrl: QUEUE_URL, client }).send(commands).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandQueueError);
    expect((error as CommandQueueError).detail).toEqual({ failed: [{ commandId: commands[1]?.id, code: 'NoResult' }] });
  });

  it('throws CommandQueueError when the request itself fails', async () => {
    const client = new RecordingClient<SendMessageBatchCommand, SendMessageBatchCommandOutput>(() => {
      throw Object.assign(new Error('Access to the resource is denied'), { name: 'AccessDenied' });
    });
    const error = await new SqsCommandQueue({ queueUrl: QUEUE_URL, client }).send([sampleCommand(1)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandQueueError);
    expect((error as Error).message).toContain('AccessDenied');
  });

  it('refuses a command above the per-message ceiling with a 413 before sending anything', async () => {
    const client = accepting();
    const error = await new SqsCommandQueue({ queueUrl: QUEUE_URL, client, maxMessageBytes: 2000 })
      .send([sampleCommand(1, 'z'.repeat(3000))])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntryTooLargeError);
    expect((error as EntryTooLargeError).status).toBe(413);
    expect(client.commands).toHaveLength(0);
  });

  it('works with a real SQSClient (wire request checked on a loopback server)', async () => {
    // The SDK checks each MD5OfMessageBody against what it sent, so the server answers the real digest.
    const server = await startAwsJsonServer((call) => {
      const entries = (call.body as { Entries: Array<{ Id: string; MessageBody: string }> }).Entries;
      return {
        Successful: entries.map((e) => ({
          Id: e.Id,
          MessageId: `m-${e.Id}`,
          MD5OfMessageBody: createHash('md5').update(e.MessageBody).digest('hex'),
        })),
        Failed: [],
      };
    });
    try {
      const client = new SQSClient({ ...loopbackClientConfig(server.endpoint), useQueueUrlAsEndpoint: false });
      const command = sampleCommand(3);
      await new SqsCommandQueue({ queueUrl: QUEUE_URL, client }).send([command]);
      expect(server.calls).toEqual([
        {
          target: 'AmazonSQS.SendMessageBatch',
          body: { QueueUrl: QUEUE_URL, Entries: [{ Id: '0', MessageBody: JSON.stringify(command) }] },
        },
      ]);
      client.destroy();
    } finally {
      await server.close();
    }
  });
});

import type { SQSRecord } from 'aws-lambda';
import { topology } from '../functions/app/topology.js';

/**
 * EventBridge and SQS for the capacity model: the clients the adapters send to, and the queues between the
 * stages. PutEvents entries that match a bus route of the topology are delivered to its queue in the
 * EventBridge envelope, as the rule's SQS target does; SendMessage(Batch) lands on the named queue. Every
 * request is counted by the second it was sent in, with its 64 KB chunks (what both services bill).
 */

const CHUNK_BYTES = 64 * 1024;

export interface RequestCounts {
  putEventsCalls: number;
  putEventsEntries: number;
  /** Entries in 64 KB chunks, as EventBridge bills them. */
  putEventsChunks: number;
  /** SendMessage, SendMessageBatch, ChangeMessageVisibility(Batch) and the rest the functions send, in 64 KB chunks. */
  sqsRequests: number;
  /** What EventBridge's SQS target and the Lambda event source mappings send on the queues' behalf. */
  sqsServiceRequests: number;
}

export type QueueName = keyof typeof topology.queues;

const emptyCounts = (): RequestCounts => ({
  putEventsCalls: 0,
  putEventsEntries: 0,
  putEventsChunks: 0,
  sqsRequests: 0,
  sqsServiceRequests: 0,
});

export class RecordingQueues {
  readonly #queues: Record<QueueName, SQSRecord[]> = { events: [], actions: [] };
  readonly #counts = new Map<number, RequestCounts>();
  readonly #second: () => number;
  #messages = 0;

  constructor(second: () => number) {
    this.#second = second;
  }

  /** A stand-in for the EventBridge client. */
  readonly eventBridge = {
    send: async (command: { constructor: { name: string }; input: unknown }): Promise<unknown> => {
      if (command.constructor.name !== 'PutEventsCommand')
        throw new Error(`the capacity model's EventBridge does not implement ${command.constructor.name}`);
      const entries = (
        command.input as { Entries: Array<{ Source?: string; DetailType?: string; Detail?: string; EventBusName?: string }> }
      ).Entries;
      const counts = this.#now();
      counts.putEventsCalls += 1;
      counts.putEventsEntries += entries.length;
      for (const entry of entries) {
        counts.putEventsChunks += chunks(JSON.stringify(entry));
        for (const route of topology.busRoutes) {
          if (!route.pattern.source.includes(entry.Source ?? '') || !route.pattern['detail-type'].includes(entry.DetailType ?? ''))
            continue;
          const body = JSON.stringify({
            version: '0',
            id: `eb-${++this.#messages}`,
            'detail-type': entry.DetailType,
            source: entry.Source,
            account: '123456789012',
            time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
            region: 'us-east-1',
            resources: [],
            detail: JSON.parse(entry.Detail ?? '{}'),
          });
          // The rule's target sends each event to the queue: one SendMessage on the queue's bill.
          counts.sqsServiceRequests += chunks(body);
          this.#queues[route.targetQueue].push(this.#record(body));
        }
      }
      return { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: `eb-${this.#messages}` })) };
    },
  };

  /** A stand-in for the SQS client: messages to the actions queue go on it, visibility changes are counted. */
  readonly sqs = {
    send: async (command: { constructor: { name: string }; input: unknown }): Promise<unknown> => {
      const name = command.constructor.name;
      const input = command.input as { QueueUrl?: string; Entries?: Array<{ Id: string; MessageBody?: string }>; MessageBody?: string };
      const counts = this.#now();
      switch (name) {
        case 'SendMessageBatchCommand': {
          const entries = input.Entries ?? [];
          counts.sqsRequests += chunks(entries.map((entry) => entry.MessageBody ?? '').join(''));
          for (const entry of entries) this.#queueOf(input.QueueUrl).push(this.#record(entry.MessageBody ?? ''));
          return { Successful: entries.map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}` })), Failed: [] };
        }
        case 'SendMessageCommand':
          counts.sqsRequests += chunks(input.MessageBody ?? '');
          this.#queueOf(input.QueueUrl).push(this.#record(input.MessageBody ?? ''));
          return { MessageId: `m-${this.#messages}` };
        case 'ChangeMessageVisibilityCommand':
        case 'ChangeMessageVisibilityBatchCommand':
          counts.sqsRequests += 1;
          return name === 'ChangeMessageVisibilityBatchCommand'
            ? { Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id })), Failed: [] }
            : {};
        default:
          throw new Error(`the capacity model's SQS does not implement ${name}`);
      }
    },
  };

  /** Up to `size` messages off a queue, as the event source mapping receives them (a ReceiveMessage, and a DeleteMessageBatch after). */
  receive(queue: QueueName, size: number): SQSRecord[] {
    const records = this.#queues[queue].splice(0, size);
    if (records.length > 0) this.#now().sqsServiceRequests += 2;
    return records;
  }

  depth(queue: QueueName): number {
    return this.#queues[queue].length;
  }

  /** Requests by second. */
  get counts(): ReadonlyMap<number, RequestCounts> {
    return this.#counts;
  }

  #queueOf(url: string | undefined): SQSRecord[] {
    const name = (Object.keys(this.#queues) as QueueName[]).find((queue) => url?.endsWith(`/${queue}`));
    if (!name) throw new Error(`the capacity model has no queue at ${url ?? '(no QueueUrl)'}`);
    return this.#queues[name];
  }

  #now(): RequestCounts {
    const second = this.#second();
    let counts = this.#counts.get(second);
    if (!counts) this.#counts.set(second, (counts = emptyCounts()));
    return counts;
  }

  #record(body: string): SQSRecord {
    const id = `m-${++this.#messages}`;
    const now = String(Date.now());
    return {
      messageId: id,
      receiptHandle: `r-${id}`,
      body,
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: now, SenderId: 'capacity', ApproximateFirstReceiveTimestamp: now },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:capacity',
      awsRegion: 'us-east-1',
    };
  }
}

function chunks(text: string): number {
  return Math.max(1, Math.ceil(Buffer.byteLength(text, 'utf8') / CHUNK_BYTES));
}

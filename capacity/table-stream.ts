import type { DynamoDBRecord } from 'aws-lambda';
import { ANALYTICS_STREAM } from '../functions/app/topology.js';
import type { DynamoCall, TableShape } from './in-process-dynamo.js';
import type { Item } from './item-size.js';

/**
 * The table's DynamoDB Stream (NEW_AND_OLD_IMAGES) as the analytics function's mapping delivers it, built from the
 * in-process DynamoDB's writes: every write that changed an item is a record (INSERT, MODIFY or REMOVE, both images,
 * a growing sequence number, in the documented shape:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Record.html), kept only when one of the
 * mapping's filters (ANALYTICS_STREAM.filters) passes it, as Lambda's event filtering does before the function is
 * invoked. Reading the stream costs nothing for a Lambda trigger (https://aws.amazon.com/dynamodb/pricing/on-demand/:
 * "GetRecords API calls invoked by AWS Lambda as part of DynamoDB triggers are free").
 */
export class TableStream {
  readonly #shape: () => TableShape;
  readonly #now: () => number;
  readonly #pending: Array<{ at: number; record: DynamoDBRecord }> = [];
  #sequence = 100_000_000_000_000_000_000n;
  /** Changes the filters passed, and those they did not. */
  delivered = 0;
  filteredOut = 0;

  constructor(options: { shape: () => TableShape; now: () => number }) {
    this.#shape = options.shape;
    this.#now = options.now;
  }

  record(call: DynamoCall): void {
    for (const write of call.writes) {
      if (write.refused || JSON.stringify(write.before) === JSON.stringify(write.after)) continue;
      const image = (write.after ?? write.before)!;
      const shape = this.#shape();
      const keys: Item = { [shape.partitionKey]: image[shape.partitionKey]! };
      if (shape.sortKey && image[shape.sortKey]) keys[shape.sortKey] = image[shape.sortKey]!;
      this.#sequence += 1n;
      const record: DynamoDBRecord = {
        eventID: this.#sequence.toString(16),
        eventName: write.before === undefined ? 'INSERT' : write.after === undefined ? 'REMOVE' : 'MODIFY',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'us-east-1',
        eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/foghorn/stream/capacity',
        dynamodb: {
          ApproximateCreationDateTime: Math.floor(this.#now() / 1000),
          Keys: keys as never,
          ...(write.after ? { NewImage: write.after as never } : {}),
          ...(write.before ? { OldImage: write.before as never } : {}),
          SequenceNumber: this.#sequence.toString(),
          SizeBytes: JSON.stringify(image).length,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      };
      if (ANALYTICS_STREAM.filters.some((pattern) => matchesPattern(pattern, record))) {
        this.delivered += 1;
        this.#pending.push({ at: this.#now(), record });
      } else this.filteredOut += 1;
    }
  }

  /**
   * The next batch the mapping would invoke with: up to `size` records once that many are waiting or the oldest has
   * waited `windowMs`; with `all`, whatever is waiting. None when no batch is due.
   */
  take(size: number, windowMs: number, all = false): DynamoDBRecord[] {
    const oldest = this.#pending[0];
    if (!oldest) return [];
    if (!all && this.#pending.length < size && this.#now() - oldest.at < windowMs) return [];
    return this.#pending.splice(0, size).map((entry) => entry.record);
  }
}

/**
 * Lambda event filtering for the patterns the stack uses: an array lists the values allowed (a string, or a stream
 * image's `{ S: … }`), an object's every field must match, nested.
 */
export function matchesPattern(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.includes(value);
  if (pattern === null || typeof pattern !== 'object') return false;
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(pattern).every(([name, inner]) => matchesPattern(inner, (value as Record<string, unknown>)[name]));
}

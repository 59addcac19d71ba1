import { type AttributeValue, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

/**
 * The table's DynamoDB Stream (NEW_AND_OLD_IMAGES), as far as a test needs it: dynalite has no streams, so a
 * middleware on the client reads each item a write touches before and after it (with a client of its own, so no
 * count sees those reads) and records what DynamoDB Streams would deliver, in its documented record shape
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Record.html): INSERT, MODIFY or
 * REMOVE, the keys, both images, a sequence number that grows, the item's size. A write that changed nothing (a
 * refused condition, a cancelled transaction) yields no record, as on DynamoDB. Writes are assumed one at a time.
 */
export interface DynamoStream {
  /** Every record since the last `take`, in order; taken records are not returned again. */
  take(): DynamoDBRecord[];
  stop(): void;
}

export const STREAM_ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/foghorn/stream/2026-12-02T00:00:00.000';

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'TransactWriteItemsCommand']);

type Item = Record<string, AttributeValue>;

export function recordDynamoStream(client: DynamoDBClient, options: { endpoint: string; tableName: string }): DynamoStream {
  const reader = new DynamoDBClient({
    endpoint: options.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const records: DynamoDBRecord[] = [];
  let sequence = 100_000_000_000_000_000_000n;
  const name = `foghorn-stream-${Math.random().toString(36).slice(2)}`;
  const read = async (key: Item): Promise<Item | undefined> =>
    (await reader.send(new GetItemCommand({ TableName: options.tableName, Key: key, ConsistentRead: true }))).Item;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!WRITES.has(context.commandName ?? '')) return next(args);
      const keys = keysOf(args.input as Input);
      const before = await Promise.all(keys.map(read));
      try {
        return await next(args);
      } finally {
        const after = await Promise.all(keys.map(read));
        keys.forEach((key, index) => {
          const old = before[index];
          const now = after[index];
          if (JSON.stringify(old) === JSON.stringify(now)) return;
          sequence += 1n;
          records.push({
            eventID: `${sequence.toString(16)}`,
            eventName: old === undefined ? 'INSERT' : now === undefined ? 'REMOVE' : 'MODIFY',
            eventVersion: '1.1',
            eventSource: 'aws:dynamodb',
            awsRegion: 'us-east-1',
            eventSourceARN: STREAM_ARN,
            dynamodb: {
              ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
              Keys: key as never,
              ...(now ? { NewImage: now as never } : {}),
              ...(old ? { OldImage: old as never } : {}),
              SequenceNumber: sequence.toString(),
              SizeBytes: JSON.stringify(now ?? old).length,
              StreamViewType: 'NEW_AND_OLD_IMAGES',
            },
          });
        });
      }
    },
    { step: 'initialize', name },
  );
  return {
    take: () => records.splice(0, records.length),
    stop: () => {
      client.middlewareStack.remove(name);
      reader.destroy();
    },
  };
}

interface Input {
  Key?: Item;
  Item?: Item;
  TransactItems?: Array<Record<string, { Key?: Item; Item?: Item } | undefined>>;
}

function keysOf(input: Input): Item[] {
  const keyOf = (part: { Key?: Item; Item?: Item } | undefined): Item | undefined => {
    const source = part?.Key ?? part?.Item;
    return source?.pk && source.sk ? { pk: source.pk, sk: source.sk } : undefined;
  };
  const parts = input.TransactItems
    ? input.TransactItems.flatMap((entry) =>
        Object.entries(entry)
          .filter(([operation]) => operation !== 'ConditionCheck')
          .map(([, part]) => part),
      )
    : [input];
  return parts.map(keyOf).filter((key): key is Item => key !== undefined);
}

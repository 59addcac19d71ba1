import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  type TableDescription,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';

/**
 * Foghorn's single table. Every item has `pk` and `sk` (strings); items that expire carry `ttl`
 * (epoch seconds: DynamoDB's TTL on AWS, and a filter on read everywhere since dynalite has no TTL).
 * `gsi1` (gsi1pk, gsi1sk, projection ALL) lists the low-rate items by time, newest first (timers, posts, …).
 * `gsi2` (gsi2pk, gsi2sk, projection KEYS_ONLY) lists what is written per event (events, actions, audit) from
 * LISTING_SHARDS partitions per listing (`EVENTS#<shard>`): no partition key takes more than 1/LISTING_SHARDS of
 * the writes, an entry is one small write that later updates of its item never repeat, and a listing reads the
 * shards' keys merged newest first, then the items (index-query.ts). Items from before gsi2 stay listed from gsi1.
 *
 * Key prefixes in use (add yours here, one line each):
 *   EVENT#<id> / EVENT        a canonical event, its tags (a set) and, on a delivery's first event, the
 *                             raw payload (ref `event#<id>`)    gsi2: EVENTS#<shard> / <receivedAt>#<id>
 *   RAW#event#<id> / RAW      a raw payload too large to share its event's item
 *   RAW#raw:<platform>:<sha256> / RAW  a raw payload of older records (no longer written)
 *   QUARANTINE#<id> / ...     a signed payload that could not be normalised, with its bytes
 *   ACTION#<id> / ACTION      an action record, with the audit line of its outcome (`audit`)
 *                                                               gsi2: ACTIONS#<shard> / <createdAt>#<id>
 *   LIMIT#<key> / <window>    rule limit counters (functions/storage/dynamo/rule-state.ts)
 *   QUEUE#<name> / <msg id>   local runtime's durable queues (not used on AWS)
 *   QUEUE#<name> / ~receipts#<id>  a local queue's receive journal (one per batch in flight)
 *   COUNTER#<key> / M#<minute>  spike counters, one per minute (crisis; counter-store.ts)
 *   SPIKE#<rule> / EPISODE    a rule's latest spike episode     gsi1: SPIKES-OPEN / <startedAt>#<rule> while open
 *   CRISIS / STATE            the crisis-mode switch
 *   SLA#<id> / TIMER          an SLA response timer              gsi1: SLADUE#<epoch minute>#<shard> / <dueAt>#<id> while pending
 *   SLACONV#<conv> / <id>     timers waiting in a conversation
 *   SLASWEEP / STATE          the last minute the SLA sweep read
 *   APPROVAL#<id> / APPROVAL  a held action                      gsi1: APPROVALS#<status>#<shard> / <createdAt>#<id>
 *                             (before the shards: APPROVALS#<status>, still read)
 *   POST#<id> / POST          a scheduled post                   gsi1: POSTS#<status> / <at>#<id> (the due-time index)
 *   AUDIT#<id> / AUDIT        an audit entry                     gsi2: AUDIT#<shard> / <at>#<id>
 *   CURSOR#<platform> / CURSOR  where a poller stopped (functions/storage/dynamo/cursor-store.ts)
 *   ANALYTICS#<day> / <hour>#<platform>#<channel>#<lang>  an hour's response-time figures (analytics-store.ts)
 *   ANALYTICSRT#<day> / (the same)  that hour's exact first-response times, apart from its counts
 *   ACLOCK#<conversation> / CLOCK  a conversation's first-response clock (analytics-store.ts)
 *   SENDRATE#<platform> / SENDRATE  act's send-rate bucket for a platform (aws/dynamo-send-rate-limiter.ts)
 *   SENDSLOT#<platform>#<command> / SLOT  the send slot a command turned away was given
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttl: 'ttl',
  gsi1: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  gsi2: { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
} as const;

/** The key attributes of both indexes, which no answer carries. */
export const INDEX_ATTRIBUTES = ['gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'] as const;

export const DEFAULT_TABLE_NAME = 'foghorn';

/** The listings index as the CDK stack defines it (keys only: a listing reads its items with BatchGetItem). */
const GSI2 = {
  IndexName: TABLE_KEYS.gsi2.name,
  KeySchema: [
    { AttributeName: TABLE_KEYS.gsi2.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: TABLE_KEYS.gsi2.sortKey, KeyType: 'RANGE' as const },
  ],
  Projection: { ProjectionType: 'KEYS_ONLY' as const },
};

const GSI2_ATTRIBUTES = [
  { AttributeName: TABLE_KEYS.gsi2.partitionKey, AttributeType: 'S' as const },
  { AttributeName: TABLE_KEYS.gsi2.sortKey, AttributeType: 'S' as const },
];

/**
 * Creates the table as the CDK stack defines it (for the embedded DynamoDB and tests). Idempotent; a table made
 * before gsi2 gets it added where the server can (DynamoDB Local; dynalite cannot, and an old dynalite folder is
 * only read, by `foghorn data migrate`).
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: TABLE_KEYS.partitionKey, AttributeType: 'S' },
          { AttributeName: TABLE_KEYS.sortKey, AttributeType: 'S' },
          { AttributeName: TABLE_KEYS.gsi1.partitionKey, AttributeType: 'S' },
          { AttributeName: TABLE_KEYS.gsi1.sortKey, AttributeType: 'S' },
          ...GSI2_ATTRIBUTES,
        ],
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: TABLE_KEYS.gsi1.name,
            KeySchema: [
              { AttributeName: TABLE_KEYS.gsi1.partitionKey, KeyType: 'HASH' },
              { AttributeName: TABLE_KEYS.gsi1.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
          GSI2,
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  if (hasGsi2(await untilActive(client, tableName))) return;
  try {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: GSI2_ATTRIBUTES,
        GlobalSecondaryIndexUpdates: [{ Create: GSI2 }],
      }),
    );
  } catch (error) {
    // dynalite refuses an index created later: its old folders stay as they are, readable for `foghorn data migrate`.
    if (error instanceof Error && error.name === 'ValidationException') return;
    throw error;
  }
  await untilActive(client, tableName);
}

function hasGsi2(table: TableDescription | undefined): boolean {
  return (table?.GlobalSecondaryIndexes ?? []).some((index) => index.IndexName === TABLE_KEYS.gsi2.name);
}

async function untilActive(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesReady = (Table?.GlobalSecondaryIndexes ?? []).every(
      (index) => index.IndexStatus === undefined || index.IndexStatus === 'ACTIVE',
    );
    if (Table?.TableStatus === 'ACTIVE' && indexesReady) return Table;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}

/** Epoch seconds `seconds` from `now`, for the `ttl` attribute. */
export function expiresIn(now: Date, seconds: number): number {
  return Math.floor(now.getTime() / 1000) + seconds;
}

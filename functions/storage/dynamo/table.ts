import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';

/**
 * Foghorn's single table. Every item has `pk` and `sk` (strings); items that expire carry `ttl`
 * (epoch seconds: DynamoDB's TTL on AWS, and a filter on read everywhere since dynalite has no TTL).
 * `gsi1` (gsi1pk, gsi1sk) lists items by time, newest first (events, actions, …).
 *
 * Key prefixes in use (add yours here, one line each):
 *   EVENT#<id> / EVENT        a canonical event, its tags (a set) and, on a delivery's first event, the
 *                             raw payload (ref `event#<id>`)    gsi1: EVENTS / <receivedAt>#<id>
 *   RAW#event#<id> / RAW      a raw payload too large to share its event's item
 *   RAW#raw:<platform>:<sha256> / RAW  a raw payload of older records (no longer written)
 *   QUARANTINE#<id> / ...     a signed payload that could not be normalised, with its bytes
 *   ACTION#<id> / ACTION      an action record                  gsi1: ACTIONS / <createdAt>#<id>
 *   LIMIT#<key> / <window>    rule limit counters (functions/storage/dynamo/rule-state.ts)
 *   QUEUE#<name> / <msg id>   local runtime's durable queues (not used on AWS)
 *   QUEUE#<name> / ~receipts#<id>  a local queue's receive journal (one per batch in flight)
 *   COUNTER#<key> / M#<minute>  spike counters, one per minute (crisis; counter-store.ts)
 *   SPIKE#<rule> / EPISODE    a rule's latest spike episode     gsi1: SPIKES-OPEN / <startedAt>#<rule> while open
 *   CRISIS / STATE            the crisis-mode switch
 *   SLA#<id> / TIMER          an SLA response timer              gsi1: SLADUE#<epoch minute>#<shard> / <dueAt>#<id> while pending
 *   SLACONV#<conv> / <id>     timers waiting in a conversation
 *   SLASWEEP / STATE          the last minute the SLA sweep read
 *   APPROVAL#<id> / APPROVAL  a held action                      gsi1: APPROVALS#<status> / <createdAt>#<id>
 *   POST#<id> / POST          a scheduled post                   gsi1: POSTS#<status> / <at>#<id> (the due-time index)
 *   AUDIT#<id> / AUDIT        an audit entry                     gsi1: AUDIT / <at>#<id>
 *   CURSOR#<platform> / CURSOR  where a poller stopped (functions/storage/dynamo/cursor-store.ts)
 *   ANALYTICS#<day> / <hour>#<platform>#<channel>#<lang>  an hour's response-time figures (analytics-store.ts)
 *   ACLOCK#<conversation> / CLOCK  a conversation's first-response clock (analytics-store.ts)
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttl: 'ttl',
  gsi1: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
} as const;

export const DEFAULT_TABLE_NAME = 'foghorn';

/** Creates the table as the CDK stack defines it (for the embedded DynamoDB and tests). Idempotent. */
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
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}

/** Epoch seconds `seconds` from `now`, for the `ttl` attribute. */
export function expiresIn(now: Date, seconds: number): number {
  return Math.floor(now.getTime() / 1000) + seconds;
}

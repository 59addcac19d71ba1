import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { BadCursorError, type IndexPage } from '../../core/index-page.js';
import { fromItem, toItem } from './item.js';
import { TABLE_KEYS } from './table.js';

export interface IndexQueryOptions {
  /** Stop after this many items (all when absent). */
  limit?: number;
  /** Newest first: the gsi1 sort keys start with an ISO time. */
  newestFirst?: boolean;
}

/**
 * Every item of one gsi1 partition, paging until `limit`. Each base item is returned once: an index
 * entry can outlive a lost base write (the embedded DynamoDB killed mid-write), and the first entry
 * read for a key (the newest, when newest first) wins.
 */
export async function queryIndexPartition<T>(
  client: DynamoDBClient,
  tableName: string,
  partition: string,
  options: IndexQueryOptions = {},
): Promise<T[]> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const results: T[] = [];
  const seen = new Set<string>();
  let exclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: TABLE_KEYS.gsi1.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.gsi1.partitionKey },
        ExpressionAttributeValues: toItem({ ':pk': partition }),
        ScanIndexForward: !options.newestFirst,
        Limit: Math.min(1000, limit - results.length),
        ExclusiveStartKey: exclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const key = `${item.pk?.S}\u0000${item.sk?.S}`;
      if (seen.has(key)) continue;
      seen.add(key);
      results.push(fromItem<T>(item) as T);
    }
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey && results.length < limit);
  return results;
}

/** Newest-first items of one gsi1 partition, up to `limit`. */
export function queryNewest<T>(client: DynamoDBClient, tableName: string, partition: string, limit: number): Promise<T[]> {
  return queryIndexPartition<T>(client, tableName, partition, { limit, newestFirst: true });
}

export interface IndexPageOptions<T> {
  limit: number;
  /** The `next` of the previous page; it holds the key of the last item that page examined. */
  cursor?: string;
  /** gsi1 sort-key bounds (ISO times): `from` inclusive, `before` exclusive. */
  from?: string;
  before?: string;
  /** Kept items; the rest are read and skipped. */
  keep?: (item: T) => boolean;
  /** The filters, sealed into the cursor: a cursor is refused with other filters. */
  fingerprint?: string;
  /** Items examined per call at most, so a rare filter cannot read the whole partition in one request. */
  maxExamined?: number;
}

const KEY_NAMES = ['pk', 'sk', TABLE_KEYS.gsi1.partitionKey, TABLE_KEYS.gsi1.sortKey] as const;

/**
 * One page of a gsi1 partition, newest first. Filters run in code after each DynamoDB page is read, and the
 * cursor is the key of the last item *examined* (kept or skipped), not the page's LastEvaluatedKey: the next
 * call starts right after it, so items past the cut are neither lost nor served twice, whatever was filtered.
 */
export async function queryIndexPage<T>(
  client: DynamoDBClient,
  tableName: string,
  partition: string,
  options: IndexPageOptions<T>,
): Promise<IndexPage<T>> {
  const maxExamined = options.maxExamined ?? 10_000;
  const fingerprint = options.fingerprint ?? '';
  let exclusiveStartKey = options.cursor === undefined ? undefined : decodeCursor(options.cursor, partition, fingerprint);
  const items: T[] = [];
  let examined = 0;
  let lastKey: Record<string, AttributeValue> | undefined;
  const range = sortKeyCondition(options.from, options.before);
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: TABLE_KEYS.gsi1.name,
        KeyConditionExpression: `#pk = :pk${range.expression}`,
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.gsi1.partitionKey, ...(range.expression ? { '#sk': TABLE_KEYS.gsi1.sortKey } : {}) },
        ExpressionAttributeValues: toItem({ ':pk': partition, ...range.values }),
        ScanIndexForward: false,
        Limit: Math.min(1000, maxExamined - examined),
        ExclusiveStartKey: exclusiveStartKey,
      }),
    );
    const read = page.Items ?? [];
    for (const [index, item] of read.entries()) {
      examined += 1;
      lastKey = item;
      const value = fromItem<T>(item) as T;
      if (!options.keep || options.keep(value)) items.push(value);
      if (items.length >= options.limit || examined >= maxExamined) {
        const more = index < read.length - 1 || page.LastEvaluatedKey !== undefined;
        return more ? { items, next: encodeCursor(lastKey, fingerprint) } : { items };
      }
    }
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey);
  return { items };
}

function sortKeyCondition(from?: string, before?: string): { expression: string; values: Record<string, string> } {
  // Sort keys are `<ISO time>#<id>`: any key of the instant `before` sorts after `before` itself, so BETWEEN excludes it.
  if (from && before) return { expression: ' AND #sk BETWEEN :from AND :before', values: { ':from': from, ':before': before } };
  if (from) return { expression: ' AND #sk >= :from', values: { ':from': from } };
  if (before) return { expression: ' AND #sk < :before', values: { ':before': before } };
  return { expression: '', values: {} };
}

function encodeCursor(item: Record<string, AttributeValue>, fingerprint: string): string {
  const key = Object.fromEntries(KEY_NAMES.map((name) => [name, item[name]?.S ?? '']));
  return Buffer.from(JSON.stringify({ k: key, f: fingerprint }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, partition: string, fingerprint: string): Record<string, AttributeValue> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadCursorError('it is not a cursor Foghorn gave');
  }
  const { k, f } = (parsed ?? {}) as { k?: Record<string, unknown>; f?: unknown };
  if (!k || typeof k !== 'object' || KEY_NAMES.some((name) => typeof k[name] !== 'string'))
    throw new BadCursorError('it is not a cursor Foghorn gave');
  if (k[TABLE_KEYS.gsi1.partitionKey] !== partition) throw new BadCursorError('it belongs to another listing');
  if (f !== fingerprint) throw new BadCursorError('send it with the same filters as the page that gave it');
  return Object.fromEntries(KEY_NAMES.map((name) => [name, { S: k[name] as string }]));
}

import { type AttributeValue, BatchGetItemCommand, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { BadCursorError, type IndexPage } from '../../core/index-page.js';
import type { IndexPageOptions } from './index-query.js';
import { fromItem, toItem } from './item.js';
import { shardOf } from './shard.js';
import { TABLE_KEYS } from './table.js';

/**
 * Listings of what is written per event (events, actions, audit) on AWS. Cost model, per item written: one gsi2
 * entry of about 150 bytes (1 WRU) on partition `<listing>#<shard>`, the shard a hash of the item's id, so at
 * 10,000 events/s each of the LISTING_SHARDS partitions takes about 10,000 / 32 ≈ 310 WRU/s, under DynamoDB's
 * 1,000 per partition. gsi2 projects keys only, so an update of the item (a claim, a completion, a tag) writes
 * no index entry, and gsi2 never holds a raw payload.
 *
 * A page reads each shard's keys newest first (one Query per shard, more only for a shard the merge drains),
 * merges them by sort key (`<ISO time>#<id>`, unique per item, so the merged order is total), and reads the
 * merged page's items with BatchGetItem (eventually consistent: 0.5 RRU per 4 KB item). The cursor is the sort
 * key of the last item examined: the next page asks every shard for keys below it, so nothing is skipped or
 * served twice, whatever the filters kept.
 *
 * Items written before gsi2 are listed from their gsi1 partition (`legacy`), merged in as one more shard; an old
 * item that later got a gsi2 entry too (an action claimed again) is listed from gsi1 only.
 */
export const LISTING_SHARDS = 32;

export interface ShardedListing {
  /** The listing's name: its gsi2 partitions are `<name>#0` … `<name>#31`. */
  name: string;
  /** Its gsi1 partition before gsi2, still read for older items. */
  legacy?: string;
}

/** The gsi2 attributes of an item of `listing` with this id and sort key. */
export function listingEntry(listing: ShardedListing, id: string, sortKey: string): Record<string, string> {
  return { [TABLE_KEYS.gsi2.partitionKey]: `${listing.name}#${listingShard(id)}`, [TABLE_KEYS.gsi2.sortKey]: sortKey };
}

/** The listing shard of an item's id. */
export function listingShard(id: string): number {
  return shardOf(id, LISTING_SHARDS);
}

/** One page of a sharded listing, newest first, filtered in code (see the header). */
export async function queryListingPage<T>(
  client: DynamoDBClient,
  tableName: string,
  listing: ShardedListing,
  options: IndexPageOptions<T>,
): Promise<IndexPage<T>> {
  const maxExamined = options.maxExamined ?? 10_000;
  const fingerprint = options.fingerprint ?? '';
  const below = options.cursor === undefined ? undefined : decodeCursor(options.cursor, listing.name, fingerprint);
  const bounds = { ...(options.from ? { from: options.from } : {}), ...(options.before ? { before: options.before } : {}) };
  const sources = [
    ...Array.from(
      { length: LISTING_SHARDS },
      (_, shard) => new ShardSource(client, tableName, 'gsi2', `${listing.name}#${shard}`, bounds, below),
    ),
    ...(listing.legacy ? [new ShardSource(client, tableName, 'gsi1', listing.legacy, bounds, below)] : []),
  ];
  const items: T[] = [];
  let examined = 0;
  let lastSortKey: string | undefined;
  for (let round = 0; ; round++) {
    const wanted = Math.min(100, maxExamined - examined, round === 0 ? options.limit - items.length : 100);
    const entries = await nextEntries(sources, wanted);
    if (entries.length === 0) return { items };
    const fetched = await batchGet(client, tableName, entries);
    for (const [index, entry] of entries.entries()) {
      const item = fetched.get(baseKey(entry.key));
      // An old item claimed again has both entries: gsi1 lists it.
      if (entry.index === 'gsi2' && listing.legacy && item?.[TABLE_KEYS.gsi1.partitionKey]?.S === listing.legacy) continue;
      examined += 1;
      lastSortKey = entry.sortKey;
      if (item) {
        const value = fromItem<T>(item) as T;
        if (!options.keep || options.keep(value)) items.push(value);
      }
      if (items.length >= options.limit || examined >= maxExamined) {
        const more = index < entries.length - 1 || (await anyLeft(sources));
        return more ? { items, next: encodeCursor(listing.name, lastSortKey, fingerprint) } : { items };
      }
    }
  }
}

/** The newest `limit` items of a sharded listing. */
export async function queryListingNewest<T>(
  client: DynamoDBClient,
  tableName: string,
  listing: ShardedListing,
  limit: number,
): Promise<T[]> {
  return (await queryListingPage<T>(client, tableName, listing, { limit, maxExamined: limit })).items;
}

interface Entry {
  index: 'gsi1' | 'gsi2';
  sortKey: string;
  key: Record<string, AttributeValue>;
}

/** One partition's keys, newest first, read a page at a time as the merge needs them (each page twice the last). */
class ShardSource {
  private buffer: Entry[] = [];
  private start: Record<string, AttributeValue> | undefined;
  private done = false;
  private pageSize = 8;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly index: 'gsi1' | 'gsi2',
    private readonly partition: string,
    private readonly bounds: { from?: string; before?: string },
    private readonly below: string | undefined,
  ) {}

  async peek(): Promise<Entry | undefined> {
    while (this.buffer.length === 0 && !this.done) await this.read();
    return this.buffer[0];
  }

  take(): Entry | undefined {
    return this.buffer.shift();
  }

  private async read(): Promise<void> {
    const names = TABLE_KEYS[this.index];
    const upper = [this.bounds.before, this.below].filter((bound): bound is string => bound !== undefined).sort()[0];
    // Sort keys are `<ISO time>#<id>`: a key of the instant `before` sorts after `before` itself, so `<` excludes it.
    const range =
      this.bounds.from && upper
        ? { expression: ' AND #sk BETWEEN :from AND :upper', values: { ':from': this.bounds.from, ':upper': upper } }
        : this.bounds.from
          ? { expression: ' AND #sk >= :from', values: { ':from': this.bounds.from } }
          : upper
            ? { expression: ' AND #sk < :upper', values: { ':upper': upper } }
            : { expression: '', values: {} };
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: names.name,
        KeyConditionExpression: `#pk = :pk${range.expression}`,
        ExpressionAttributeNames: { '#pk': names.partitionKey, '#sk': names.sortKey },
        ExpressionAttributeValues: toItem({ ':pk': this.partition, ...range.values }),
        ProjectionExpression: 'pk, sk, #sk',
        ScanIndexForward: false,
        Limit: this.pageSize,
        ExclusiveStartKey: this.start,
      }),
    );
    this.pageSize = Math.min(1000, this.pageSize * 2);
    for (const item of page.Items ?? []) {
      const sortKey = item[names.sortKey]?.S;
      // BETWEEN includes its upper bound: the cursor's own item was served already.
      if (sortKey === undefined || (upper !== undefined && sortKey >= upper)) continue;
      this.buffer.push({ index: this.index, sortKey, key: { pk: item.pk!, sk: item.sk! } });
    }
    this.start = page.LastEvaluatedKey;
    this.done = this.start === undefined;
  }
}

/** The next `count` entries of the merged listing, newest first. */
async function nextEntries(sources: ShardSource[], count: number): Promise<Entry[]> {
  const entries: Entry[] = [];
  const heads = await Promise.all(sources.map((source) => source.peek()));
  while (entries.length < count) {
    let newest = -1;
    for (const [index, head] of heads.entries())
      if (head && (newest < 0 || head.sortKey > (heads[newest] as Entry).sortKey)) newest = index;
    if (newest < 0) break;
    const source = sources[newest] as ShardSource;
    entries.push(source.take() as Entry);
    heads[newest] = await source.peek();
  }
  return entries;
}

async function anyLeft(sources: ShardSource[]): Promise<boolean> {
  return (await Promise.all(sources.map((source) => source.peek()))).some((head) => head !== undefined);
}

function baseKey(key: Record<string, AttributeValue>): string {
  return `${key.pk?.S}\u0000${key.sk?.S}`;
}

/** The entries' items by base key (an entry whose item is gone has none). Unprocessed keys are asked for again. */
async function batchGet(client: DynamoDBClient, tableName: string, entries: Entry[]): Promise<Map<string, Record<string, AttributeValue>>> {
  const found = new Map<string, Record<string, AttributeValue>>();
  // BatchGetItem refuses a key twice (an old item's two entries).
  let keys = [...new Map(entries.map((entry) => [baseKey(entry.key), entry.key])).values()];
  for (let attempt = 1; keys.length > 0; attempt++) {
    const { Responses, UnprocessedKeys } = await client.send(new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: keys } } }));
    for (const item of Responses?.[tableName] ?? []) found.set(baseKey(item), item);
    keys = UnprocessedKeys?.[tableName]?.Keys ?? [];
    if (keys.length > 0 && attempt >= 8)
      throw new Error(`listing: DynamoDB left ${keys.length} keys of ${tableName} unread after ${attempt} tries`);
    if (keys.length > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
  }
  return found;
}

function encodeCursor(listing: string, sortKey: string, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ l: listing, s: sortKey, f: fingerprint }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, listing: string, fingerprint: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadCursorError('it is not a cursor Foghorn gave');
  }
  const { l, s, f } = (parsed ?? {}) as { l?: unknown; s?: unknown; f?: unknown };
  if (typeof l !== 'string' || typeof s !== 'string') throw new BadCursorError('it is not a cursor Foghorn gave');
  if (l !== listing) throw new BadCursorError('it belongs to another listing');
  if (f !== fingerprint) throw new BadCursorError('send it with the same filters as the page that gave it');
  return s;
}

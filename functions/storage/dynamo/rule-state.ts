import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  type Put,
  PutItemCommand,
  type Update,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { RuleState } from '../../core/rule-set.js';
import { fixedWindowIndex, slidingWindowAllows, usesSlidingWindow } from '../../rules/limit-window.js';
import { TABLE_KEYS } from './table.js';

/**
 * Rule limits in the single table, with conditional writes and atomic counters only (no
 * transactions), and expiry as a filter on read (the `ttl` attribute only lets AWS clean up).
 *   LIMIT#<key> / SLIDING           times of the last `limit` acquisitions, guarded by a version number
 *   LIMIT#<key>[#<shard>] / W#<window>  a fixed window's atomic counters: a large limit (a rule's per-minute
 *                                   ceiling, which every firing spends) is split over fixedWindowShards(limit)
 *                                   items, each refusing past its share; an acquisition goes to one with room,
 *                                   so the window grants exactly `limit` and no item takes more than its share
 *                                   of the writes. Shard 0 is the unsharded item of before.
 */
export interface DynamoRuleStateOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Optimistic retries when concurrent acquisitions race on one sliding-window item. */
  maxAttempts?: number;
}

const SLIDING_SK = 'SLIDING';

/** A fixed window is spread over at most this many items (`LIMIT#<key>`, `LIMIT#<key>#1` … `#15`). */
export const FIXED_WINDOW_SHARDS = 16;
/** No shard's share of a limit is below this, so a small limit stays one item (and one write tells it is full). */
export const MIN_SHARD_SHARE = 64;

/** How many items a fixed window of `limit` is counted on. */
export function fixedWindowShards(limit: number): number {
  return Math.max(1, Math.min(FIXED_WINDOW_SHARDS, Math.floor(limit / MIN_SHARD_SHARE)));
}

/** Shard `shard`'s share of `limit`: the shares add up to `limit` exactly. */
export function shardShare(limit: number, shards: number, shard: number): number {
  return Math.floor(limit / shards) + (shard < limit % shards ? 1 : 0);
}

function ttlAfter(epochMs: number): string {
  return String(Math.ceil(epochMs / 1000));
}

export class DynamoRuleState implements RuleState {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly maxAttempts: number;

  constructor(options: DynamoRuleStateOptions) {
    if (!options?.client || !options.tableName) throw new Error('DynamoRuleState: requires { client, tableName }');
    this.client = options.client;
    this.tableName = options.tableName;
    this.maxAttempts = options.maxAttempts ?? 50;
  }

  async tryAcquire(key: string, limit: number, windowMs: number, now: Date): Promise<boolean> {
    if (limit <= 0) return false;
    return usesSlidingWindow(limit) ? this.acquireSliding(key, limit, windowMs, now) : this.acquireFixed(key, limit, windowMs, now);
  }

  async peek(key: string, limit: number, windowMs: number, now: Date): Promise<number> {
    if (usesSlidingWindow(limit)) {
      const { times } = await this.readSliding(key);
      return times.filter((time) => time > now.getTime() - windowMs).length;
    }
    const counts = await Promise.all(
      Array.from({ length: fixedWindowShards(limit) }, async (_, shard) => {
        const { Item } = await this.client.send(
          new GetItemCommand({
            TableName: this.tableName,
            ConsistentRead: true,
            Key: limitItemKey(fixedShardKey(key, shard), `W#${fixedWindowIndex(now, windowMs)}`),
          }),
        );
        return Item?.count?.N ? Number(Item.count.N) : 0;
      }),
    );
    return counts.reduce((sum, count) => sum + count, 0);
  }

  /** One shard after another from a random one, until one has room: refused only when every shard is full. */
  private async acquireFixed(key: string, limit: number, windowMs: number, now: Date): Promise<boolean> {
    const shards = fixedWindowShards(limit);
    const first = Math.floor(Math.random() * shards);
    for (let offset = 0; offset < shards; offset++) {
      try {
        await this.client.send(
          new UpdateItemCommand(fixedWindowSpend(this.tableName, key, 1, limit, windowMs, now, (first + offset) % shards)),
        );
        return true;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    return false;
  }

  private async readSliding(key: string): Promise<{ times: number[]; version: number | undefined }> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        ConsistentRead: true,
        Key: { [TABLE_KEYS.partitionKey]: { S: `LIMIT#${key}` }, [TABLE_KEYS.sortKey]: { S: SLIDING_SK } },
      }),
    );
    return slidingWindowOf(Item);
  }

  /** Read the last acquisitions, decide, write back only if nobody wrote in between; else retry. */
  private async acquireSliding(key: string, limit: number, windowMs: number, now: Date): Promise<boolean> {
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const { times, version } = await this.readSliding(key);
      if (!slidingWindowAllows(times, limit, windowMs, now)) return false;
      const next = [...times.filter((time) => time > now.getTime() - windowMs), now.getTime()].slice(-limit);
      try {
        await this.client.send(new PutItemCommand(slidingWindowPut(this.tableName, key, next, windowMs, version)));
        return true;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
      }
    }
    throw new Error(`DynamoRuleState: could not update limit '${key}' after ${this.maxAttempts} attempts (too much contention)`);
  }
}

/** The key of a limit's item: `LIMIT#<key>` / `SLIDING` or `W#<window>`. */
export function limitItemKey(key: string, sortKey: string) {
  return { [TABLE_KEYS.partitionKey]: { S: `LIMIT#${key}` }, [TABLE_KEYS.sortKey]: { S: sortKey } };
}

export const SLIDING_SORT_KEY = SLIDING_SK;

/** The limit key a fixed window's shard is stored under: shard 0 is the key itself. */
export function fixedShardKey(key: string, shard: number): string {
  return shard === 0 ? key : `${key}#${shard}`;
}

/**
 * `n` acquisitions of fixed window `now` falls in, on shard `shard` of the window's fixedWindowShards(limit): an
 * atomic ADD, refused when it would pass the shard's share of `limit`.
 */
export function fixedWindowSpend(
  tableName: string,
  key: string,
  n: number,
  limit: number,
  windowMs: number,
  now: Date,
  shard = 0,
): Update & { Key: Record<string, AttributeValue> } {
  const window = fixedWindowIndex(now, windowMs);
  const share = shardShare(limit, fixedWindowShards(limit), shard);
  return {
    TableName: tableName,
    Key: limitItemKey(fixedShardKey(key, shard), `W#${window}`),
    UpdateExpression: 'ADD #count :n SET #ttl = :ttl',
    ConditionExpression: 'attribute_not_exists(#count) OR #count <= :most',
    ExpressionAttributeNames: { '#count': 'count', '#ttl': TABLE_KEYS.ttl },
    ExpressionAttributeValues: {
      ':n': { N: String(n) },
      ':most': { N: String(share - n) },
      ':ttl': { N: ttlAfter((window + 1) * windowMs) },
    },
  };
}

/** A sliding window's item as read (or returned with a refusal): its last acquisitions and version; none when absent. */
export function slidingWindowOf(item: Record<string, AttributeValue> | undefined): { times: number[]; version: number | undefined } {
  if (!item) return { times: [], version: undefined };
  return { times: (item.times?.L ?? []).map((entry) => Number(entry.N)), version: Number(item.version?.N ?? '0') };
}

/** A sliding window's last acquisitions `times`, written only over the version they were decided on (absent: none yet). */
export function slidingWindowPut(
  tableName: string,
  key: string,
  times: readonly number[],
  windowMs: number,
  version: number | undefined,
): Put {
  return {
    TableName: tableName,
    Item: {
      ...limitItemKey(key, SLIDING_SK),
      times: { L: times.map((time) => ({ N: String(time) })) },
      version: { N: String((version ?? 0) + 1) },
      [TABLE_KEYS.ttl]: { N: ttlAfter(Math.max(...times) + windowMs) },
    },
    ...(version === undefined
      ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey } }
      : {
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': { N: String(version) } },
        }),
  };
}

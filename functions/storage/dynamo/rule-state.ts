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
 *   LIMIT#<key> / SLIDING      times of the last `limit` acquisitions, guarded by a version number
 *   LIMIT#<key> / W#<window>   an atomic counter per fixed window
 */
export interface DynamoRuleStateOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Optimistic retries when concurrent acquisitions race on one sliding-window item. */
  maxAttempts?: number;
}

const SLIDING_SK = 'SLIDING';

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
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        ConsistentRead: true,
        Key: { [TABLE_KEYS.partitionKey]: { S: `LIMIT#${key}` }, [TABLE_KEYS.sortKey]: { S: `W#${fixedWindowIndex(now, windowMs)}` } },
      }),
    );
    return Item?.count?.N ? Number(Item.count.N) : 0;
  }

  private async acquireFixed(key: string, limit: number, windowMs: number, now: Date): Promise<boolean> {
    try {
      await this.client.send(new UpdateItemCommand(fixedWindowSpend(this.tableName, key, 1, limit, windowMs, now)));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
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

/** `n` acquisitions of fixed window `now` falls in: an atomic ADD, refused when it would pass `limit`. */
export function fixedWindowSpend(
  tableName: string,
  key: string,
  n: number,
  limit: number,
  windowMs: number,
  now: Date,
): Update & { Key: Record<string, AttributeValue> } {
  const window = fixedWindowIndex(now, windowMs);
  return {
    TableName: tableName,
    Key: limitItemKey(key, `W#${window}`),
    UpdateExpression: 'ADD #count :n SET #ttl = :ttl',
    ConditionExpression: 'attribute_not_exists(#count) OR #count <= :most',
    ExpressionAttributeNames: { '#count': 'count', '#ttl': TABLE_KEYS.ttl },
    ExpressionAttributeValues: {
      ':n': { N: String(n) },
      ':most': { N: String(limit - n) },
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

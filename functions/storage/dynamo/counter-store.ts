import { type DynamoDBClient, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { CounterStore } from '../../crisis/ports.js';
import { epochMinute } from '../../crisis/minutes.js';
import { fromItem, isExpired, toItem } from './item.js';
import { TABLE_KEYS } from './table.js';

interface BucketItem {
  sk: string;
  count: number;
  ttl?: number;
}

/** Sort keys sort numerically as strings: epoch minutes padded to a fixed width. */
function bucketSortKey(minute: number): string {
  return `M#${String(minute).padStart(10, '0')}`;
}

/**
 * Minute buckets as items (`COUNTER#<key>` / `M#<epoch minute>`), added to with an atomic ADD: correct
 * under any number of concurrent evaluators, no read-modify-write. Expired buckets are filtered on read.
 */
export class DynamoCounterStore implements CounterStore {
  constructor(private readonly options: { client: DynamoDBClient; tableName: string }) {
    if (!options.tableName) throw new Error('DynamoCounterStore: tableName is required');
  }

  async increment(key: string, at: Date, retainMs: number): Promise<void> {
    const minute = epochMinute(at);
    await this.options.client.send(new UpdateItemCommand({
      TableName: this.options.tableName,
      Key: toItem({ pk: `COUNTER#${key}`, sk: bucketSortKey(minute) }),
      UpdateExpression: 'ADD #count :one SET #ttl = :ttl',
      ExpressionAttributeNames: { '#count': 'count', '#ttl': TABLE_KEYS.ttl },
      ExpressionAttributeValues: toItem({ ':one': 1, ':ttl': Math.ceil(((minute + 1) * 60_000 + retainMs) / 1000) }),
    }));
  }

  async buckets(key: string, fromMinute: number, toMinute: number, now: Date): Promise<Map<number, number>> {
    const result = new Map<number, number>();
    let start: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
    do {
      const page = await this.options.client.send(new QueryCommand({
        TableName: this.options.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: toItem({ ':pk': `COUNTER#${key}`, ':from': bucketSortKey(fromMinute), ':to': bucketSortKey(toMinute) }),
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }));
      for (const raw of page.Items ?? []) {
        const item = fromItem<BucketItem>(raw)!;
        if (!isExpired(item, now)) result.set(Number(item.sk.slice(2)), item.count);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return result;
  }
}

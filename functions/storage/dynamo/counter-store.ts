import { type DynamoDBClient, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { epochMinute } from '../../crisis/minutes.js';
import { type CountedSample, type CounterStore, latestSamples, SAMPLES_PER_MINUTE } from '../../crisis/ports.js';
import type { EscalationEvent } from '../../escalation/escalation.js';
import { fromItem, isConditionFailure, isExpired, toItem } from './item.js';
import { TABLE_KEYS } from './table.js';

interface BucketItem {
  sk: string;
  count: number;
  ttl?: number;
  /** The sample ring: sample0 … sample4, slot (seq - 1) % SAMPLES_PER_MINUTE. */
  [slot: `sample${number}`]: CountedSample | undefined;
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

  async increment(key: string, at: Date, retainMs: number, sample?: EscalationEvent): Promise<void> {
    const minute = epochMinute(at);
    const Key = toItem({ pk: `COUNTER#${key}`, sk: bucketSortKey(minute) });
    const counted = await this.options.client.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key,
        UpdateExpression: 'ADD #count :one SET #ttl = :ttl',
        ExpressionAttributeNames: { '#count': 'count', '#ttl': TABLE_KEYS.ttl },
        ExpressionAttributeValues: toItem({ ':one': 1, ':ttl': Math.ceil(((minute + 1) * 60_000 + retainMs) / 1000) }),
        ReturnValues: sample ? 'UPDATED_NEW' : 'NONE',
      }),
    );
    if (!sample) return;
    const seq = fromItem<{ count: number }>(counted.Attributes)?.count;
    if (typeof seq !== 'number') return;
    // The atomic count gives this event its place; its slot in the ring only ever moves to a later event.
    await this.options.client
      .send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key,
          ConditionExpression: 'attribute_not_exists(#slot) OR #slot.#seq < :seq',
          UpdateExpression: 'SET #slot = :entry',
          ExpressionAttributeNames: { '#slot': `sample${(seq - 1) % SAMPLES_PER_MINUTE}`, '#seq': 'seq' },
          ExpressionAttributeValues: toItem({ ':seq': seq, ':entry': { seq, sample } }),
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  }

  async buckets(key: string, fromMinute: number, toMinute: number, now: Date): Promise<Map<number, number>> {
    return new Map((await this.read(key, fromMinute, toMinute, now)).map((item) => [minuteOf(item), item.count]));
  }

  async samples(key: string, fromMinute: number, toMinute: number, now: Date, limit: number): Promise<EscalationEvent[]> {
    const items = await this.read(key, fromMinute, toMinute, now);
    return latestSamples(
      items.map((item) => ({
        minute: minuteOf(item),
        samples: Array.from({ length: SAMPLES_PER_MINUTE }, (_, slot) => item[`sample${slot}`]).filter(
          (entry): entry is CountedSample => entry !== undefined,
        ),
      })),
      limit,
    );
  }

  private async read(key: string, fromMinute: number, toMinute: number, now: Date): Promise<BucketItem[]> {
    const items: BucketItem[] = [];
    let start: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
    do {
      const page = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: toItem({
            ':pk': `COUNTER#${key}`,
            ':from': bucketSortKey(fromMinute),
            ':to': bucketSortKey(toMinute),
          }),
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const raw of page.Items ?? []) {
        const item = fromItem<BucketItem>(raw)!;
        if (!isExpired(item, now)) items.push(item);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

function minuteOf(item: BucketItem): number {
  return Number(item.sk.slice(2));
}

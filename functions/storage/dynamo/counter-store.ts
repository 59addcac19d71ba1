import { type AttributeValue, type DynamoDBClient, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { epochMinute } from '../../crisis/minutes.js';
import { type CountedSample, type CounterStore, latestSamples, SAMPLES_PER_MINUTE } from '../../crisis/ports.js';
import type { EscalationEvent } from '../../escalation/escalation.js';
import { pendingDecision } from '../decision-writes.js';
import { type DeferredWrite, DYNAMO_DECISION } from './decision-store.js';
import type { HeldCounts, HeldWrite } from './held-counts.js';
import { fromItem, isConditionFailure, isExpired, toItem } from './item.js';
import { shardOf } from './shard.js';
import { TABLE_KEYS } from './table.js';

interface BucketItem {
  sk: string;
  count: number;
  ttl?: number;
}

const MINUTE_COUNT = 'minute-count';

/** One event's minute count, held until its batch settles (held-counts.ts). */
interface HeldMinuteCount extends HeldWrite {
  readonly kind: typeof MINUTE_COUNT;
  readonly key: string;
  readonly minute: number;
  readonly ttl: number;
  readonly sample?: EscalationEvent;
}

interface RingItem {
  sk: string;
  /** Samples written to the minute's ring so far: the place of the next one. */
  written?: number;
  ttl?: number;
  /** The sample ring: sample0 … sample4, slot (seq - 1) % SAMPLES_PER_MINUTE. */
  [slot: `sample${number}`]: CountedSample | undefined;
}

/** A counter's minute is counted on this many items, summed on read: no item takes more than 1/8 of a rule's matches. */
export const COUNTER_SHARDS = 8;
/** A shard's first samples of a minute always reach the ring; after that, every SAMPLE_EVERY-th. */
export const SAMPLE_EVERY = 50;

/** Sort keys sort numerically as strings: epoch minutes padded to a fixed width. */
function bucketSortKey(minute: number): string {
  return `M#${String(minute).padStart(10, '0')}`;
}

function ringSortKey(minute: number): string {
  return `S#${String(minute).padStart(10, '0')}`;
}

function shardKey(key: string, shard: number): string {
  return `COUNTER#${key}#${shard}`;
}

/**
 * Minute buckets as items, added to with an atomic ADD: correct under any number of concurrent evaluators, no
 * read-modify-write. Expired buckets are filtered on read.
 *
 * Cost per counted event: one ADD on one of COUNTER_SHARDS small items (`COUNTER#<key>#<shard>` / `M#<minute>`,
 * 1 WRU; the shard a hash of the sampled event's id), so at 3,000 matching events/s a shard takes about 375 WRU/s.
 * The digest's samples live apart, in one ring per minute (`COUNTER#<key>` / `S#<minute>`, two writes per sample):
 * a shard sends the ring its first SAMPLES_PER_MINUTE events of each minute, then every SAMPLE_EVERY-th, so the ring
 * takes a bounded share of the writes however fast the rule matches. Reading is one Query per shard.
 * Inside a decision (decision-store.ts decideOnce) an increment waits for the decision to be kept, so an event is
 * counted once however often it is evaluated; reads in the same evaluation count it already. With `held` (the
 * evaluate function's), a kept decision's counts wait for the end of its batch and a minute's counts of one batch
 * are one `ADD n` (held-counts.ts); reads add what is held.
 */
export class DynamoCounterStore implements CounterStore {
  constructor(private readonly options: { client: DynamoDBClient; tableName: string; held?: HeldCounts }) {
    if (!options.tableName) throw new Error('DynamoCounterStore: tableName is required');
  }

  async increment(key: string, at: Date, retainMs: number, sample?: EscalationEvent): Promise<void> {
    const minute = epochMinute(at);
    const count = this.heldCount(key, minute, Math.ceil(((minute + 1) * 60_000 + retainMs) / 1000), sample);
    const pending = pendingDecision<DeferredWrite>(DYNAMO_DECISION);
    if (!pending) return this.write([count]);
    pending.count(key, minute, sample);
    const { held } = this.options;
    pending.defer(held ? async () => held.hold(count) : () => this.write([count]));
  }

  private heldCount(key: string, minute: number, ttl: number, sample: EscalationEvent | undefined): HeldMinuteCount {
    return {
      kind: MINUTE_COUNT,
      mergeKey: `${key}\u0000${minute}`,
      key,
      minute,
      ttl,
      ...(sample ? { sample } : {}),
      writeMerged: (group) => this.write(group as readonly HeldMinuteCount[]),
    };
  }

  /** The counts of one key and minute as one ADD; each sample whose place in its shard's count is sampled goes to the ring. */
  private async write(counts: readonly HeldMinuteCount[]): Promise<void> {
    const [first] = counts;
    if (!first) return;
    const { key, minute } = first;
    const ttl = Math.max(...counts.map((count) => count.ttl));
    const sampled = counts.some((count) => count.sample);
    const shard = first.sample ? shardOf(first.sample.id, COUNTER_SHARDS) : Math.floor(Math.random() * COUNTER_SHARDS);
    const counted = await this.options.client.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: toItem({ pk: shardKey(key, shard), sk: bucketSortKey(minute) }),
        UpdateExpression: 'ADD #count :n SET #ttl = :ttl',
        ExpressionAttributeNames: { '#count': 'count', '#ttl': TABLE_KEYS.ttl },
        ExpressionAttributeValues: toItem({ ':n': counts.length, ':ttl': ttl }),
        ReturnValues: sampled ? 'UPDATED_NEW' : 'NONE',
      }),
    );
    if (!sampled) return;
    const inShard = fromItem<{ count: number }>(counted.Attributes)?.count;
    if (typeof inShard !== 'number') return;
    // The group's counts took the places inShard - length + 1 … inShard, in the order they were held.
    for (const [index, { sample }] of counts.entries()) {
      const place = inShard - counts.length + 1 + index;
      if (sample && (place <= SAMPLES_PER_MINUTE || place % SAMPLE_EVERY === 0)) await this.ring(key, minute, ttl, sample);
    }
  }

  /** The counts held for `key` (held-counts.ts), not yet written. */
  private held(key: string): HeldMinuteCount[] {
    return (this.options.held?.of<HeldMinuteCount>(MINUTE_COUNT) ?? []).filter((count) => count.key === key);
  }

  /** Puts a sample in the minute's ring: the ring's count gives it its place; its slot only ever moves to a later sample. */
  private async ring(key: string, minute: number, ttl: number, sample: EscalationEvent): Promise<void> {
    const Key = toItem({ pk: `COUNTER#${key}`, sk: ringSortKey(minute) });
    const placed = await this.options.client.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key,
        UpdateExpression: 'ADD #written :one SET #ttl = :ttl',
        ExpressionAttributeNames: { '#written': 'written', '#ttl': TABLE_KEYS.ttl },
        ExpressionAttributeValues: toItem({ ':one': 1, ':ttl': ttl }),
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const seq = fromItem<{ written: number }>(placed.Attributes)?.written;
    if (typeof seq !== 'number') return;
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
    // `COUNTER#<key>` itself: the unsharded buckets written before the shards, still in someone's window after an upgrade.
    const partitions = [...Array.from({ length: COUNTER_SHARDS }, (_, shard) => shardKey(key, shard)), `COUNTER#${key}`];
    const shards = await Promise.all(
      partitions.map((pk) => this.read<BucketItem>(pk, bucketSortKey(fromMinute), bucketSortKey(toMinute), now)),
    );
    const counts = new Map<number, number>();
    for (const item of shards.flat()) counts.set(minuteOf(item), (counts.get(minuteOf(item)) ?? 0) + item.count);
    const own = pendingDecision<DeferredWrite>(DYNAMO_DECISION)?.counted(key, fromMinute, toMinute) ?? [];
    for (const [minute, count] of own) counts.set(minute, (counts.get(minute) ?? 0) + count);
    for (const { minute } of this.held(key))
      if (minute >= fromMinute && minute <= toMinute) counts.set(minute, (counts.get(minute) ?? 0) + 1);
    return new Map([...counts].sort(([a], [b]) => a - b));
  }

  async samples(key: string, fromMinute: number, toMinute: number, now: Date, limit: number): Promise<EscalationEvent[]> {
    const items = await this.read<RingItem>(`COUNTER#${key}`, ringSortKey(fromMinute), ringSortKey(toMinute), now);
    const held = this.held(key)
      .filter((count) => count.sample && count.minute >= fromMinute && count.minute <= toMinute)
      .map((count) => count.sample!)
      .reverse();
    const own = [...(pendingDecision<DeferredWrite>(DYNAMO_DECISION)?.samples<EscalationEvent>(key, fromMinute, toMinute) ?? []), ...held];
    if (own.length >= limit) return own.slice(0, limit);
    const kept = latestSamples(
      items.map((item) => ({
        minute: minuteOf(item),
        samples: Array.from({ length: SAMPLES_PER_MINUTE }, (_, slot) => item[`sample${slot}`]).filter(
          (entry): entry is CountedSample => entry !== undefined,
        ),
      })),
      limit - own.length,
    );
    return [...own, ...kept];
  }

  private async read<T extends { ttl?: number }>(pk: string, from: string, to: string, now: Date): Promise<T[]> {
    const items: T[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: toItem({ ':pk': pk, ':from': from, ':to': to }),
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const raw of page.Items ?? []) {
        const item = fromItem<T>(raw)!;
        if (!isExpired(item, now)) items.push(item);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

function minuteOf(item: { sk: string }): number {
  return Number(item.sk.slice(2));
}

import { epochMinute, MINUTE_MS } from '../../crisis/minutes.js';
import { type CountedSample, type CounterStore, latestSamples, SAMPLES_PER_MINUTE } from '../../crisis/ports.js';
import type { EscalationEvent } from '../../escalation/escalation.js';
import { pendingDecision } from '../decision-writes.js';
import type { EmbeddedDatabase, WriteTx } from './database.js';
import { type DeferredWrite, EMBEDDED_DECISION } from './decision-store.js';

interface Bucket {
  count: number;
  /** Epoch ms: from then on the bucket is gone for readers. */
  expiresAt: number;
  /** The sample ring: slot (seq - 1) % SAMPLES_PER_MINUTE, null until filled. */
  slots: Array<CountedSample | null>;
}

/** Expired buckets older than this are removed by later increments; readers filter expiry exactly. */
const PRUNE_GRACE_MS = 60 * MINUTE_MS;
/** Expired buckets removed per increment at most: more than the one an increment can add. */
const PRUNE_PER_INCREMENT = 4;

function prefixOf(key: string): string {
  return `crisis/counter/${encodeURIComponent(key)}/`;
}

/** Epoch minutes padded to a fixed width, so keys sort as numbers. */
function minuteKey(prefix: string, minute: number): string {
  return `${prefix}${String(Math.max(0, minute)).padStart(10, '0')}`;
}

/**
 * Minute buckets (`crisis/counter/<key>/<epoch minute>`). An increment is one transaction that reads,
 * adds and writes the bucket, so concurrent evaluators count exactly and the ring's slot only ever moves
 * to a later event. Expired buckets are filtered on read and removed by later increments of the same key
 * (the embedded store has no TTL), so a counter keeps only its retention's worth of minutes. Inside a decision
 * (decision-store.ts decideOnce) the increment goes into the write that keeps the decision, and only then.
 */
export class EmbeddedCounterStore implements CounterStore {
  constructor(private readonly db: EmbeddedDatabase) {
    if (!db) throw new Error('EmbeddedCounterStore: an EmbeddedDatabase is required');
  }

  async increment(key: string, at: Date, retainMs: number, sample?: EscalationEvent): Promise<void> {
    const pending = pendingDecision<DeferredWrite>(EMBEDDED_DECISION);
    if (!pending) return this.db.write((tx) => incrementIn(tx, key, at, retainMs, sample));
    pending.count(key, epochMinute(at), sample);
    pending.defer((tx) => incrementIn(tx, key, at, retainMs, sample));
  }

  async buckets(key: string, fromMinute: number, toMinute: number, now: Date): Promise<Map<number, number>> {
    const counts = new Map(this.read(key, fromMinute, toMinute, now).map(({ minute, bucket }) => [minute, bucket.count]));
    const own = pendingDecision<DeferredWrite>(EMBEDDED_DECISION)?.counted(key, fromMinute, toMinute) ?? [];
    for (const [minute, count] of own) counts.set(minute, (counts.get(minute) ?? 0) + count);
    return new Map([...counts].sort(([a], [b]) => a - b));
  }

  async samples(key: string, fromMinute: number, toMinute: number, now: Date, limit: number): Promise<EscalationEvent[]> {
    const own = pendingDecision<DeferredWrite>(EMBEDDED_DECISION)?.samples<EscalationEvent>(key, fromMinute, toMinute) ?? [];
    if (own.length >= limit) return own.slice(0, limit);
    const kept = latestSamples(
      this.read(key, fromMinute, toMinute, now).map(({ minute, bucket }) => ({
        minute,
        samples: bucket.slots.filter((slot): slot is CountedSample => slot !== null && slot !== undefined),
      })),
      limit - own.length,
    );
    return [...own, ...kept];
  }

  private read(key: string, fromMinute: number, toMinute: number, now: Date): Array<{ minute: number; bucket: Bucket }> {
    if (toMinute < fromMinute || toMinute < 0) return [];
    const prefix = prefixOf(key);
    return this.db
      .range<Bucket>({ prefix, from: minuteKey(prefix, fromMinute), before: minuteKey(prefix, toMinute + 1) })
      .filter(({ value }) => value.expiresAt > now.getTime())
      .map(({ key: stored, value }) => ({ minute: Number(stored.slice(prefix.length)), bucket: value }));
  }
}

/** Counts one event in `at`'s minute bucket of `key` (and its sample in the ring), pruning expired buckets. */
function incrementIn(tx: WriteTx, key: string, at: Date, retainMs: number, sample?: EscalationEvent): void {
  const prefix = prefixOf(key);
  const minute = epochMinute(at);
  const bucketKey = minuteKey(prefix, minute);
  const expiresAt = (minute + 1) * MINUTE_MS + retainMs;
  const bucket = tx.get<Bucket>(bucketKey);
  const count = (bucket?.count ?? 0) + 1;
  const slots = Array.from({ length: SAMPLES_PER_MINUTE }, (_, slot) => bucket?.slots[slot] ?? null);
  if (sample) slots[(count - 1) % SAMPLES_PER_MINUTE] = { seq: count, sample };
  tx.put(bucketKey, { count, expiresAt: Math.max(bucket?.expiresAt ?? 0, expiresAt), slots } satisfies Bucket);
  pruneExpired(tx, prefix, bucketKey, at.getTime() - PRUNE_GRACE_MS);
}

/** Removes the key's oldest buckets that expired before `before` (never the one being written). */
function pruneExpired(tx: WriteTx, prefix: string, written: string, before: number): void {
  for (const { key, value } of tx.range<Bucket>({ prefix, before: written, limit: PRUNE_PER_INCREMENT })) {
    if (value.expiresAt <= before) tx.remove(key);
  }
}

import { addToBucket, bucketId, firstResponse, stops } from '../../analytics/figures.js';
import {
  type AnalyticsBucket,
  type AnalyticsDelta,
  type AnalyticsStore,
  CLOCK_RETENTION_MS,
  type ClockStart,
  type ClockStop,
} from '../../analytics/ports.js';
import type { EmbeddedDatabase, WriteTx } from './database.js';

/**
 * Response-time analytics in the embedded database: a bucket is `analytics/bucket/<hour>/<platform>/<channel>/<lang>`
 * (parts URI-encoded, so keys sort by hour), a conversation's clock `analytics/clock/<conversation>`, and
 * `analytics/clock-expiry/<epoch ms>/<conversation>` orders clocks by expiry so old ones can be removed.
 *
 * Everything is staged (`db.stage`): recording never adds a write, or a read, to the pipeline. It rides with the
 * pipeline's next write or the database's flush within its `stagedFlushMs`; a stop measures its first response
 * and adds it to the bucket inside the same transaction. Staged operations apply in order, so a clock started
 * by an evaluation is there before the reply its decision queued can stop it. A process killed before the
 * next commit loses what was staged since the last one (at most `stagedFlushMs` of figures); reads flush first,
 * so they see everything recorded so far.
 */
export class EmbeddedAnalyticsStore implements AnalyticsStore {
  private readonly db: EmbeddedDatabase;

  constructor(options: { database: EmbeddedDatabase }) {
    if (!options?.database) throw new Error('EmbeddedAnalyticsStore: database is required');
    this.db = options.database;
  }

  async add(deltas: readonly AnalyticsDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    const copies = deltas.map((delta) => structuredClone(delta));
    this.db.stage((tx) => {
      for (const delta of copies) addIn(tx, delta);
    });
  }

  async startClock(start: ClockStart): Promise<void> {
    const copy = { ...start };
    this.db.stage((tx) => {
      const record = current(tx, copy.conversation, copy.at);
      if (record?.running || (record?.answeredAt !== undefined && record.answeredAt >= copy.at)) return;
      putClock(tx, copy.conversation, { ...record, running: copy }, copy.at);
      pruneExpired(tx, copy.at);
    });
  }

  async stopClocks(stop: ClockStop): Promise<AnalyticsDelta[]> {
    const copy = { ...stop, conversations: [...new Set(stop.conversations)] };
    this.db.stage((tx) => {
      for (const conversation of copy.conversations) {
        const record = current(tx, conversation, copy.at);
        if (!record?.running && record?.answeredAt !== undefined && record.answeredAt >= copy.at) continue;
        if (record?.running && !stops(record.running, copy)) continue;
        if (record?.running) addIn(tx, firstResponse(record.running, copy));
        putClock(tx, conversation, { answeredAt: Math.max(record?.answeredAt ?? copy.at, copy.at) }, copy.at);
      }
    });
    return [];
  }

  async read(from: Date, to: Date): Promise<AnalyticsBucket[]> {
    await this.db.flushStaged();
    // Bucket keys start with the encoded hour, which sorts as the hour does: the range is the hours [from, to).
    const range = {
      prefix: BUCKETS,
      from: `${BUCKETS}${encodeURIComponent(hourStart(from))}`,
      before: `${BUCKETS}${encodeURIComponent(hourEnd(to))}`,
    };
    return this.db.range<AnalyticsBucket>(range).map(({ value }) => value);
  }
}

const BUCKETS = 'analytics/bucket/';
const CLOCKS = 'analytics/clock/';
const EXPIRY = 'analytics/clock-expiry/';
const HOUR_MS = 3_600_000;
/** Expired clocks removed per clock start at most: more than the one a start can add. */
const PRUNE_PER_START = 4;

interface ClockRecord {
  running?: ClockStart;
  answeredAt?: number;
  /** Epoch ms: from then on the record is gone (CLOCK_RETENTION_MS after its last change). */
  expiresAt: number;
}

function bucketKey(key: AnalyticsDelta): string {
  return `${BUCKETS}${bucketId(key)}`;
}

function addIn(tx: WriteTx, delta: AnalyticsDelta): void {
  const key = bucketKey(delta);
  tx.put(key, addToBucket(tx.get<AnalyticsBucket>(key), delta));
}

function current(tx: WriteTx, conversation: string, at: number): ClockRecord | undefined {
  const record = tx.get<ClockRecord>(`${CLOCKS}${conversation}`);
  return record && record.expiresAt > at ? record : undefined;
}

function putClock(tx: WriteTx, conversation: string, record: Omit<ClockRecord, 'expiresAt'>, at: number): void {
  const key = `${CLOCKS}${conversation}`;
  const before = tx.get<ClockRecord>(key);
  if (before) tx.remove(expiryKey(before.expiresAt, conversation));
  const expiresAt = Math.max(at, record.answeredAt ?? 0, record.running?.at ?? 0) + CLOCK_RETENTION_MS;
  tx.put(key, { ...record, expiresAt } satisfies ClockRecord);
  tx.put(expiryKey(expiresAt, conversation), true);
}

function expiryKey(expiresAt: number, conversation: string): string {
  return `${EXPIRY}${String(Math.max(0, expiresAt)).padStart(15, '0')}/${conversation}`;
}

/** Removes a few clocks that expired before `at` (the embedded store has no TTL). */
function pruneExpired(tx: WriteTx, at: number): void {
  const expired = tx.range<true>({
    prefix: EXPIRY,
    before: `${EXPIRY}${String(Math.max(0, at)).padStart(15, '0')}`,
    limit: PRUNE_PER_START,
  });
  for (const { key } of expired) {
    const conversation = key.slice(EXPIRY.length + 16);
    const record = tx.get<ClockRecord>(`${CLOCKS}${conversation}`);
    if (record && record.expiresAt <= at) tx.remove(`${CLOCKS}${conversation}`);
    tx.remove(key);
  }
}

function hourStart(at: Date): string {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS).toISOString();
}

function hourEnd(at: Date): string {
  return new Date(Math.ceil(at.getTime() / HOUR_MS) * HOUR_MS).toISOString();
}

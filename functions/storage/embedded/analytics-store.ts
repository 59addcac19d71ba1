import { addToBucket, bucketId, firstResponse, mergeDeltas, ownerAnswering, stops } from '../../analytics/figures.js';
import {
  type AnalyticsBucket,
  type AnalyticsDelta,
  type AnalyticsStore,
  CLOCK_RETENTION_MS,
  type ClockStart,
  type ClockStop,
  type OwnerNote,
} from '../../analytics/ports.js';
import type { EmbeddedDatabase, WriteTx } from './database.js';

/**
 * Response-time analytics in the embedded database: a bucket is `analytics/bucket/<hour>/<platform>/<channel>/<lang>`
 * (parts URI-encoded, so keys sort by hour; `…/<person>/<team>` after them for first responses an owner gave), a
 * conversation's clock `analytics/clock/<conversation>` (with the owner noted there by an assignment), and
 * `analytics/clock-expiry/<epoch ms>/<conversation>` orders clocks by expiry so old ones can be removed.
 *
 * Recording never adds a write, or a read, to the pipeline. `add`, `startClock` and `stopClocks` only note what they
 * were asked, in order, in memory (the pending window); the first one after a commit stages ONE operation
 * (`db.stage`), which rides with the pipeline's next write or the database's flush within its `stagedFlushMs`. When
 * that commit applies it, it replays the window in order inside the transaction (clock starts and stops read and
 * write their small clock records, so a clock started and stopped within the same window measures as it would have
 * one operation at a time, and a clock started by an evaluation is there before the reply its decision queued can
 * stop it), then merges every figure of the window per bucket (`mergeDeltas`: counts summed, times and spike marks
 * in the order they were recorded) and reads and writes each bucket touched once: one read-modify-write of a
 * bucket, its `responseMs` list included, per commit instead of per webhook.
 *
 * Durability is that of staged operations: a process killed before the next commit loses the window (at most
 * `stagedFlushMs` of figures), no more. A window applies as one staged operation: should it throw, the whole window
 * is undone and reported to the database's `onStagedError` (it was one operation per call before). Reads flush
 * first (the pending window is merged into the buckets by that commit), so they see everything recorded so far.
 */
export class EmbeddedAnalyticsStore implements AnalyticsStore {
  private readonly db: EmbeddedDatabase;
  /** What was recorded since the last commit took the window, in order; undefined while nothing is pending. */
  private pending: PendingOp[] | undefined;

  constructor(options: { database: EmbeddedDatabase }) {
    if (!options?.database) throw new Error('EmbeddedAnalyticsStore: database is required');
    this.db = options.database;
  }

  async add(deltas: readonly AnalyticsDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    this.note({ add: deltas.map(copyDelta) });
  }

  async startClock(start: ClockStart): Promise<void> {
    this.note({ start: { ...start } });
  }

  async stopClocks(stop: ClockStop): Promise<AnalyticsDelta[]> {
    this.note({ stop: { ...stop, conversations: [...new Set(stop.conversations)] } });
    return [];
  }

  async ownerChanged(note: OwnerNote): Promise<void> {
    this.note({ owner: { ...note } });
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

  /** Notes an operation in the pending window; the window's first one stages the window's merge. */
  private note(op: PendingOp): void {
    if (this.pending) {
      this.pending.push(op);
      return;
    }
    const window: PendingOp[] = [op];
    this.db.stage((tx) => {
      // From now on a new window (a later commit's).
      if (this.pending === window) this.pending = undefined;
      applyWindow(tx, window);
    });
    this.pending = window;
  }
}

type PendingOp = { add: AnalyticsDelta[] } | { start: ClockStart } | { stop: ClockStop } | { owner: OwnerNote };

/** Replays a window in order (clocks through the transaction), then adds its figures: each bucket read and written once. */
function applyWindow(tx: WriteTx, window: readonly PendingOp[]): void {
  const figures: AnalyticsDelta[] = [];
  // Expired clocks are removed once per window, as many as its starts may (pruning only frees space: an expired
  // clock counts as none whether it is still there or not).
  const started = { count: 0, latest: Number.NEGATIVE_INFINITY };
  for (const op of window) {
    if ('add' in op) figures.push(...op.add);
    else if ('start' in op) {
      if (startIn(tx, op.start)) {
        started.count += 1;
        started.latest = Math.max(started.latest, op.start.at);
      }
    } else if ('owner' in op) ownerIn(tx, op.owner);
    else stopIn(tx, op.stop, figures);
  }
  if (started.count > 0) pruneExpired(tx, started.latest, PRUNE_PER_START * started.count);
  for (const delta of mergeDeltas(figures)) addIn(tx, delta);
}

/** Starts the clock unless one runs or a later answer was noted; whether it started. */
function startIn(tx: WriteTx, start: ClockStart): boolean {
  const stored = tx.get<ClockRecord>(`${CLOCKS}${start.conversation}`);
  const record = live(stored, start.at);
  if (record?.running || (record?.answeredAt !== undefined && record.answeredAt >= start.at)) return false;
  putClock(tx, start.conversation, stored, { ...record, running: start }, start.at);
  return true;
}

function stopIn(tx: WriteTx, stop: ClockStop, figures: AnalyticsDelta[]): void {
  const stored = stop.conversations.map((conversation) => tx.get<ClockRecord>(`${CLOCKS}${conversation}`));
  const owner = ownerAnswering(stored.map((record) => live(record, stop.at)?.owner));
  stop.conversations.forEach((conversation, index) => {
    const before = stored[index];
    const record = live(before, stop.at);
    if (!record?.running && record?.answeredAt !== undefined && record.answeredAt >= stop.at) return;
    if (record?.running && !stops(record.running, stop)) return;
    if (record?.running) figures.push(firstResponse(record.running, stop, owner));
    putClock(
      tx,
      conversation,
      before,
      { answeredAt: Math.max(record?.answeredAt ?? stop.at, stop.at), ...(record?.owner ? { owner: record.owner } : {}) },
      stop.at,
    );
  });
}

/** Notes the owner beside the conversation's clock, unless a more recent note is kept. */
function ownerIn(tx: WriteTx, { conversation, ...note }: OwnerNote): void {
  const stored = tx.get<ClockRecord>(`${CLOCKS}${conversation}`);
  const record = live(stored, note.since);
  if (record?.owner && record.owner.since > note.since) return;
  putClock(tx, conversation, stored, { ...record, owner: note }, Math.max(note.since, (record?.expiresAt ?? 0) - CLOCK_RETENTION_MS));
}

/** A delta the caller can no longer change: its lists and rule hits copied (their elements are plain values). */
function copyDelta(delta: AnalyticsDelta): AnalyticsDelta {
  return {
    ...delta,
    ...(delta.responseMs ? { responseMs: [...delta.responseMs] } : {}),
    ...(delta.ruleHits ? { ruleHits: { ...delta.ruleHits } } : {}),
    ...(delta.spikes ? { spikes: delta.spikes.map((mark) => ({ ...mark })) } : {}),
  };
}

const BUCKETS = 'analytics/bucket/';
const CLOCKS = 'analytics/clock/';
const EXPIRY = 'analytics/clock-expiry/';
const HOUR_MS = 3_600_000;
/** Expired clocks removed per clock start at most (once per window): more than the one a start can add. */
const PRUNE_PER_START = 4;

interface ClockRecord {
  running?: ClockStart;
  answeredAt?: number;
  /** Who owns the conversation (an assignment), for the first response measured next. */
  owner?: Omit<OwnerNote, 'conversation'>;
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

/** The stored clock, unless it has expired by `at`. */
function live(record: ClockRecord | undefined, at: number): ClockRecord | undefined {
  return record && record.expiresAt > at ? record : undefined;
}

/** Replaces the conversation's clock (`before`: the stored one, expired or not), moving its expiry entry. */
function putClock(
  tx: WriteTx,
  conversation: string,
  before: ClockRecord | undefined,
  record: Omit<ClockRecord, 'expiresAt'>,
  at: number,
): void {
  const key = `${CLOCKS}${conversation}`;
  if (before) tx.remove(expiryKey(before.expiresAt, conversation));
  const expiresAt = Math.max(at, record.answeredAt ?? 0, record.running?.at ?? 0) + CLOCK_RETENTION_MS;
  tx.put(key, { ...record, expiresAt } satisfies ClockRecord);
  tx.put(expiryKey(expiresAt, conversation), true);
}

function expiryKey(expiresAt: number, conversation: string): string {
  return `${EXPIRY}${String(Math.max(0, expiresAt)).padStart(15, '0')}/${conversation}`;
}

/** Removes up to `limit` clocks that expired before `at` (the embedded store has no TTL). */
function pruneExpired(tx: WriteTx, at: number, limit: number): void {
  const expired = tx.range<true>({
    prefix: EXPIRY,
    before: `${EXPIRY}${String(Math.max(0, at)).padStart(15, '0')}`,
    limit,
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

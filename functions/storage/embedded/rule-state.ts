import type { RuleState } from '../../core/rule-set.js';
import { fixedWindowIndex, slidingWindowAllows, usesSlidingWindow } from '../../rules/limit-window.js';
import type { EmbeddedDatabase, WriteTx } from './database.js';

/**
 * Rule limits in the embedded database, with the DynamoDB store's windows (rules/limit-window.ts):
 *   rule/<key>/sliding   times of the last `limit` acquisitions (small allowances)
 *   rule/<key>/fixed     the counts of the latest fixed windows (large ones): two are kept, so an acquisition
 *                        stamped just before a boundary still counts in its own window
 * Each record also says until when it matters (`until`), so expired keys leave memory and disk.
 *
 * The windows live in memory, loaded once when the first RuleState opens over a database (one read at start,
 * none per webhook). Memory is authoritative because one process owns the data folder (the lock file) and
 * every RuleState over that database shares the same windows. An acquisition is decided and applied in one
 * synchronous step, so concurrent acquisitions never exceed a limit and never retry.
 *
 * Persistence is staged (`db.stage`), never a write of its own: the acquisition's record goes to disk in the
 * first commit after it, which is the commit of the decision that evaluate writes next (or an earlier one, if
 * another write of the process committed in between). Why a crash is safe:
 * - evaluate writes the decision only after tryAcquire returned, so a durable decision always has its
 *   acquisitions durable: after a restart the windows hold every unit a kept decision spent, and a
 *   redelivery that finds the decision re-sends its commands without spending again. A limit is never
 *   granted beyond what the kept decisions spent.
 * - a crash before that commit loses the acquisition and the decision together: the redelivery evaluates
 *   afresh against windows without it, and spends it once.
 * - the one case left: another write carried the acquisition and the process died before the decision's
 *   commit. The unit stays spent and the redelivery spends another: one unit wasted, never one reply too
 *   many (DynamoDB's separate LIMIT and DECISION writes behave the same).
 */
type FixedWindows = Array<[window: number, count: number]>;

interface SlidingRecord {
  times: number[];
  /** When the newest time leaves the window: the record is empty from then on. */
  until: number;
}

interface FixedRecord {
  windows: FixedWindows;
  /** The end of the latest window counted. */
  until: number;
}

type LimitRecord = SlidingRecord | FixedRecord;

const PREFIX = 'rule/';
const FIXED_WINDOWS_KEPT = 2;
/** Every this many acquisitions, keys whose records have expired leave memory (and disk, staged). */
const SWEEP_EVERY = 10_000;

/** The windows of one database, shared by every RuleState over it. */
class LoadedWindows {
  private readonly records = new Map<string, LimitRecord>();
  /** Keys changed since the last staged flush (a removed key has no record). */
  private readonly dirty = new Set<string>();
  private flushStaged = false;
  private acquisitions = 0;

  constructor(private readonly db: EmbeddedDatabase) {
    for (const { key, value } of db.range<unknown>({ prefix: PREFIX })) {
      const record = fromStored(key, value);
      if (record) this.records.set(key, record);
    }
  }

  get(key: string): LimitRecord | undefined {
    return this.records.get(key);
  }

  set(key: string, record: LimitRecord, now: number): void {
    this.records.set(key, record);
    this.changed(key);
    if (++this.acquisitions % SWEEP_EVERY === 0) this.sweep(now);
  }

  private sweep(now: number): void {
    for (const [key, record] of this.records) {
      if (record.until > now) continue;
      this.records.delete(key);
      this.changed(key);
    }
  }

  /** Marks a key for the next commit, staging one flush for all the keys changed until it runs. */
  private changed(key: string): void {
    this.dirty.add(key);
    if (this.flushStaged) return;
    this.flushStaged = true;
    this.db.stage((tx) => this.flush(tx));
  }

  private flush(tx: WriteTx): void {
    this.flushStaged = false;
    const keys = [...this.dirty];
    this.dirty.clear();
    for (const key of keys) {
      const record = this.records.get(key);
      if (record) tx.put(key, record);
      else tx.remove(key);
    }
    // A commit that failed wrote none of them: they go again with the next one (with their latest state).
    tx.afterCommit((committed) => {
      if (!committed) for (const key of keys) this.changed(key);
    });
  }
}

const loaded = new WeakMap<EmbeddedDatabase, LoadedWindows>();

function windowsOf(db: EmbeddedDatabase): LoadedWindows {
  let windows = loaded.get(db);
  if (!windows) {
    windows = new LoadedWindows(db);
    loaded.set(db, windows);
  }
  return windows;
}

export class EmbeddedRuleState implements RuleState {
  private readonly windows: LoadedWindows;

  constructor(options: { database: EmbeddedDatabase }) {
    if (!options?.database) throw new Error('EmbeddedRuleState: database is required');
    this.windows = windowsOf(options.database);
  }

  async tryAcquire(key: string, limit: number, windowMs: number, now: Date): Promise<boolean> {
    if (limit <= 0) return false;
    const at = now.getTime();
    if (usesSlidingWindow(limit)) {
      const times = slidingTimes(this.windows.get(slidingKey(key)));
      if (!slidingWindowAllows(times, limit, windowMs, now)) return false;
      const kept = [...times.filter((time) => time > at - windowMs), at].slice(-limit);
      this.windows.set(slidingKey(key), { times: kept, until: Math.max(...kept) + windowMs }, at);
      return true;
    }
    const window = fixedWindowIndex(now, windowMs);
    const windows = fixedWindows(this.windows.get(fixedKey(key)));
    const count = countIn(windows, window);
    if (count >= limit) return false;
    const next: FixedWindows = [...windows.filter(([index]) => index !== window), [window, count + 1]];
    next.sort((a, b) => b[0] - a[0]);
    const kept = next.slice(0, FIXED_WINDOWS_KEPT);
    this.windows.set(fixedKey(key), { windows: kept, until: (kept[0]![0] + 1) * windowMs }, at);
    return true;
  }

  async peek(key: string, limit: number, windowMs: number, now: Date): Promise<number> {
    if (usesSlidingWindow(limit)) {
      return slidingTimes(this.windows.get(slidingKey(key))).filter((time) => time > now.getTime() - windowMs).length;
    }
    return countIn(fixedWindows(this.windows.get(fixedKey(key))), fixedWindowIndex(now, windowMs));
  }
}

/** A stored record; the first embedded stores kept bare arrays (no `until`: kept until touched again). */
function fromStored(key: string, value: unknown): LimitRecord | undefined {
  if (key.endsWith('/sliding')) {
    if (Array.isArray(value)) return { times: value as number[], until: Number.POSITIVE_INFINITY };
    return isObject(value) && Array.isArray(value.times) ? (value as unknown as SlidingRecord) : undefined;
  }
  if (key.endsWith('/fixed')) {
    if (Array.isArray(value)) return { windows: value as FixedWindows, until: Number.POSITIVE_INFINITY };
    return isObject(value) && Array.isArray(value.windows) ? (value as unknown as FixedRecord) : undefined;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function slidingTimes(record: LimitRecord | undefined): number[] {
  return record && 'times' in record ? record.times : [];
}

function fixedWindows(record: LimitRecord | undefined): FixedWindows {
  return record && 'windows' in record ? record.windows : [];
}

function countIn(windows: FixedWindows, window: number): number {
  return windows.find(([index]) => index === window)?.[1] ?? 0;
}

function slidingKey(key: string): string {
  return `${PREFIX}${key}/sliding`;
}

function fixedKey(key: string): string {
  return `${PREFIX}${key}/fixed`;
}

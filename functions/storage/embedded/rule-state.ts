import type { RuleState } from '../../core/rule-set.js';
import { fixedWindowIndex, slidingWindowAllows, usesSlidingWindow } from '../../rules/limit-window.js';
import type { EmbeddedDatabase } from './database.js';

/**
 * Rule limits in the embedded database, with the DynamoDB store's windows (rules/limit-window.ts) decided
 * inside one write transaction, so concurrent acquisitions never race and never retry:
 *   rule/<key>/sliding   times of the last `limit` acquisitions (small allowances)
 *   rule/<key>/fixed     the counts of the latest fixed windows (large ones): two are kept, so an acquisition
 *                        stamped just before a boundary still counts in its own window, and a key holds one
 *                        small record however long it runs
 */
type FixedWindows = Array<[window: number, count: number]>;

const FIXED_WINDOWS_KEPT = 2;

export class EmbeddedRuleState implements RuleState {
  private readonly db: EmbeddedDatabase;

  constructor(options: { database: EmbeddedDatabase }) {
    if (!options?.database) throw new Error('EmbeddedRuleState: database is required');
    this.db = options.database;
  }

  async tryAcquire(key: string, limit: number, windowMs: number, now: Date): Promise<boolean> {
    if (limit <= 0) return false;
    if (usesSlidingWindow(limit)) {
      return this.db.write((tx) => {
        const times = tx.get<number[]>(slidingKey(key)) ?? [];
        if (!slidingWindowAllows(times, limit, windowMs, now)) return false;
        tx.put(slidingKey(key), [...times.filter((time) => time > now.getTime() - windowMs), now.getTime()].slice(-limit));
        return true;
      });
    }
    const window = fixedWindowIndex(now, windowMs);
    return this.db.write((tx) => {
      const windows = tx.get<FixedWindows>(fixedKey(key)) ?? [];
      const count = countIn(windows, window);
      if (count >= limit) return false;
      const next: FixedWindows = [...windows.filter(([index]) => index !== window), [window, count + 1]];
      next.sort((a, b) => b[0] - a[0]);
      tx.put(fixedKey(key), next.slice(0, FIXED_WINDOWS_KEPT));
      return true;
    });
  }

  async peek(key: string, limit: number, windowMs: number, now: Date): Promise<number> {
    if (usesSlidingWindow(limit)) {
      const times = this.db.get<number[]>(slidingKey(key)) ?? [];
      return times.filter((time) => time > now.getTime() - windowMs).length;
    }
    return countIn(this.db.get<FixedWindows>(fixedKey(key)) ?? [], fixedWindowIndex(now, windowMs));
  }
}

function countIn(windows: FixedWindows, window: number): number {
  return windows.find(([index]) => index === window)?.[1] ?? 0;
}

function slidingKey(key: string): string {
  return `rule/${key}/sliding`;
}

function fixedKey(key: string): string {
  return `rule/${key}/fixed`;
}

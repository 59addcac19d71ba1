import type { CounterStore } from '../ports.js';
import { epochMinute } from '../minutes.js';

/** CounterStore in process memory: the CLI, tests, and a single process. */
export function memoryCounterStore(): CounterStore {
  const counts = new Map<string, Map<number, { count: number; expiresAt: number }>>();
  return {
    async increment(key, at, retainMs) {
      const buckets = counts.get(key) ?? new Map();
      counts.set(key, buckets);
      const minute = epochMinute(at);
      const bucket = buckets.get(minute) ?? { count: 0, expiresAt: 0 };
      bucket.count += 1;
      bucket.expiresAt = Math.max(bucket.expiresAt, (minute + 1) * 60_000 + retainMs);
      buckets.set(minute, bucket);
    },
    async buckets(key, fromMinute, toMinute, now) {
      const result = new Map<number, number>();
      for (const [minute, bucket] of counts.get(key) ?? []) {
        if (minute >= fromMinute && minute <= toMinute && bucket.expiresAt > now.getTime()) result.set(minute, bucket.count);
      }
      return result;
    },
  };
}

import type { EscalationEvent } from '../../escalation/escalation.js';
import { epochMinute } from '../minutes.js';
import { type CountedSample, type CounterStore, latestSamples, SAMPLES_PER_MINUTE } from '../ports.js';

interface Bucket {
  count: number;
  expiresAt: number;
  /** A ring of the minute's latest samples, by slot (seq - 1) % SAMPLES_PER_MINUTE. */
  slots: Array<CountedSample | undefined>;
}

/** CounterStore in process memory: the CLI, tests, and a single process. */
export function memoryCounterStore(): CounterStore {
  const counts = new Map<string, Map<number, Bucket>>();
  const live = (key: string, fromMinute: number, toMinute: number, now: Date) =>
    [...(counts.get(key) ?? [])].filter(
      ([minute, bucket]) => minute >= fromMinute && minute <= toMinute && bucket.expiresAt > now.getTime(),
    );
  return {
    async increment(key, at, retainMs, sample?: EscalationEvent) {
      const buckets = counts.get(key) ?? new Map<number, Bucket>();
      counts.set(key, buckets);
      const minute = epochMinute(at);
      const bucket = buckets.get(minute) ?? { count: 0, expiresAt: 0, slots: [] };
      bucket.count += 1;
      bucket.expiresAt = Math.max(bucket.expiresAt, (minute + 1) * 60_000 + retainMs);
      if (sample) bucket.slots[(bucket.count - 1) % SAMPLES_PER_MINUTE] = { seq: bucket.count, sample: structuredClone(sample) };
      buckets.set(minute, bucket);
    },
    async buckets(key, fromMinute, toMinute, now) {
      return new Map(live(key, fromMinute, toMinute, now).map(([minute, bucket]) => [minute, bucket.count]));
    },
    async samples(key, fromMinute, toMinute, now, limit) {
      return structuredClone(
        latestSamples(
          live(key, fromMinute, toMinute, now).map(([minute, bucket]) => ({
            minute,
            samples: bucket.slots.filter((slot): slot is CountedSample => slot !== undefined),
          })),
          limit,
        ),
      );
    },
  };
}

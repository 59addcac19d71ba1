import { addToBucket, bucketId, firstResponse, hoursBetween, stops } from '../figures.js';
import { type AnalyticsBucket, type AnalyticsDelta, type AnalyticsStore, CLOCK_RETENTION_MS, type ClockStart } from '../ports.js';

interface ClockRecord {
  running?: ClockStart;
  answeredAt?: number;
  /** Epoch ms: from then on the record is gone (CLOCK_RETENTION_MS after its last change). */
  expiresAt: number;
}

/** The analytics store in memory, for tests: the semantics of the persistent ones (test/analytics/support/analytics-store-contract.ts). */
export function memoryAnalyticsStore(): AnalyticsStore {
  const buckets = new Map<string, AnalyticsBucket>();
  const clocks = new Map<string, ClockRecord>();
  const add = (delta: AnalyticsDelta) => {
    const id = bucketId(delta);
    buckets.set(id, addToBucket(buckets.get(id), delta));
  };
  const current = (conversation: string, at: number) => {
    const record = clocks.get(conversation);
    return record && record.expiresAt > at ? record : undefined;
  };
  return {
    async add(deltas) {
      for (const delta of deltas) add(structuredClone(delta));
    },
    async startClock(start) {
      const record = current(start.conversation, start.at);
      if (record?.running || (record?.answeredAt !== undefined && record.answeredAt >= start.at)) return;
      clocks.set(start.conversation, { ...record, running: { ...start }, expiresAt: start.at + CLOCK_RETENTION_MS });
    },
    async stopClocks(stop) {
      for (const conversation of new Set(stop.conversations)) {
        const record = current(conversation, stop.at);
        if (!record?.running && record?.answeredAt !== undefined && record.answeredAt >= stop.at) continue;
        if (record?.running && !stops(record.running, stop)) continue;
        if (record?.running) add(firstResponse(record.running, stop));
        clocks.set(conversation, { answeredAt: Math.max(record?.answeredAt ?? stop.at, stop.at), expiresAt: stop.at + CLOCK_RETENTION_MS });
      }
      return [];
    },
    async read(from, to) {
      const hours = new Set(hoursBetween(from, to));
      return [...buckets.values()].filter((bucket) => hours.has(bucket.hour)).map((bucket) => structuredClone(bucket));
    },
  };
}

import { addToBucket, bucketId, firstResponse, hoursBetween, ownerAnswering, stops } from '../figures.js';
import {
  type AnalyticsBucket,
  type AnalyticsDelta,
  type AnalyticsStore,
  CLOCK_RETENTION_MS,
  type ClockStart,
  type OwnerNote,
} from '../ports.js';

interface ClockRecord {
  running?: ClockStart;
  answeredAt?: number;
  owner?: Omit<OwnerNote, 'conversation'>;
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
      const conversations = [...new Set(stop.conversations)];
      const owner = ownerAnswering(conversations.map((conversation) => current(conversation, stop.at)?.owner));
      for (const conversation of conversations) {
        const record = current(conversation, stop.at);
        if (!record?.running && record?.answeredAt !== undefined && record.answeredAt >= stop.at) continue;
        if (record?.running && !stops(record.running, stop)) continue;
        if (record?.running) add(firstResponse(record.running, stop, owner));
        clocks.set(conversation, {
          answeredAt: Math.max(record?.answeredAt ?? stop.at, stop.at),
          ...(record?.owner ? { owner: record.owner } : {}),
          expiresAt: stop.at + CLOCK_RETENTION_MS,
        });
      }
      return [];
    },
    async ownerChanged({ conversation, ...note }) {
      const record = current(conversation, note.since);
      if (record?.owner && record.owner.since > note.since) return;
      clocks.set(conversation, {
        ...record,
        owner: { ...note },
        expiresAt: Math.max(record?.expiresAt ?? 0, note.since + CLOCK_RETENTION_MS),
      });
    },
    async read(from, to) {
      const hours = new Set(hoursBetween(from, to));
      return [...buckets.values()].filter((bucket) => hours.has(bucket.hour)).map((bucket) => structuredClone(bucket));
    },
  };
}

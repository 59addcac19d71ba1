import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryAnalyticsStore } from '../../../functions/analytics/memory/analytics-store.js';
import type { AnalyticsStore } from '../../../functions/analytics/ports.js';
import { EmbeddedAnalyticsStore } from '../../../functions/storage/embedded/analytics-store.js';
import { EmbeddedDatabase, type WriteTx } from '../../../functions/storage/embedded/database.js';
import { useEmbeddedDatabase } from '../contracts/use-embedded-database.js';

const T = Date.parse('2026-11-22T10:00:00.000Z');
const HOUR = 3_600_000;
const dims = { platform: 'generic', channel: 'web', lang: 'en' };

/** A window of what one commit carries: figures for two buckets, clocks started and stopped within it. */
async function recordWindow(store: AnalyticsStore, at: number): Promise<void> {
  const hour = new Date(Math.floor(at / HOUR) * HOUR).toISOString();
  for (let i = 0; i < 5; i++) {
    await store.add([{ hour, ...dims, inbound: 1, answersAutomated: 1, ruleHits: { faq: 1 } }]);
    await store.startClock({ conversation: `c${at}-${i}`, messageId: `generic:m${at}-${i}`, at: at + i * 1_000, ...dims });
    await store.stopClocks({ conversations: [`c${at}-${i}`], at: at + i * 1_000 + 60_000 * (i + 1), by: 'automated', targetMs: 180_000 });
  }
  // A second message in a running conversation does not restart it; an older answer stops nothing.
  await store.startClock({ conversation: `c${at}-x`, messageId: 'generic:x1', at, ...dims });
  await store.startClock({ conversation: `c${at}-x`, messageId: 'generic:x2', at: at + 5_000, ...dims });
  await store.stopClocks({ conversations: [`c${at}-x`], at: at - 1, by: 'human', targetMs: 180_000 });
  await store.stopClocks({ conversations: [`c${at}-x`, `c${at}-x`], at: at + 30_000, by: 'human', targetMs: 180_000 });
  await store.add([
    { hour, ...dims, lang: 'fa', inbound: 2, spikes: [{ incident: 'i1', ruleId: 'spike', at: hour, edge: 'opened' }] },
    { hour, ...dims, slaBreaches: 1, responseMs: [5] },
  ]);
}

describe('the embedded analytics store', () => {
  const db = useEmbeddedDatabase();

  it('adds no write and no read of its own: everything rides with the next commit, and a read sees it', async () => {
    // Prepare
    const store = new EmbeddedAnalyticsStore({ database: db.current });
    const before = { ...db.current.stats };
    // Act
    await store.add([{ hour: new Date(T).toISOString(), ...dims, inbound: 1, ruleHits: { faq: 1 } }]);
    await store.startClock({ conversation: 'generic|web|m1', messageId: 'generic:m1', at: T, ...dims });
    await store.stopClocks({ conversations: ['generic|web|m1'], at: T + 420_000, by: 'human', targetMs: 600_000 });
    const during = { ...db.current.stats };
    await db.current.write((tx) => tx.put('unrelated/key', 1));
    // Assess
    expect({ writes: during.writes - before.writes, reads: during.reads - before.reads }).toEqual({ writes: 0, reads: 0 });
    expect(db.current.stats.writes - before.writes).toBe(1);
    const [bucket] = await store.read(new Date(T), new Date(T + 3_600_000));
    expect(bucket).toMatchObject({ inbound: 1, firstHuman: 1, withinTarget: 1, responseMs: [420_000], ruleHits: { faq: 1 } });
  });

  it('stages one operation per commit that reads and writes each bucket once, with the figures of one call at a time', async () => {
    // Prepare: the database seen through a transaction that counts what the store does to buckets
    const bucketOps = { gets: 0, puts: 0 };
    const staged = { count: 0 };
    const counting = (tx: WriteTx): WriteTx => ({
      ...tx,
      get: <V>(key: string) => {
        if (key.startsWith('analytics/bucket/')) bucketOps.gets += 1;
        return tx.get<V>(key);
      },
      put: (key, value) => {
        if (key.startsWith('analytics/bucket/')) bucketOps.puts += 1;
        tx.put(key, value);
      },
    });
    const database = new Proxy(db.current, {
      get(target, property) {
        if (property === 'stage')
          return (fn: (tx: WriteTx) => void) => {
            staged.count += 1;
            target.stage((tx) => fn(counting(tx)));
          };
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const store = new EmbeddedAnalyticsStore({ database });
    const reference = memoryAnalyticsStore();
    const at = T + 24 * HOUR;
    // Act
    await recordWindow(store, at);
    await recordWindow(reference, at);
    await db.current.write((tx) => tx.put('unrelated/key', 2));
    // Assess: two buckets touched (en and fa), each read and written once; the figures those of the reference store
    expect(staged.count).toBe(1);
    expect(bucketOps).toEqual({ gets: 2, puts: 2 });
    const read = await store.read(new Date(at), new Date(at + HOUR));
    expect(read).toEqual(await reference.read(new Date(at), new Date(at + HOUR)));
    expect(read.find((bucket) => bucket.lang === 'en')).toMatchObject({
      inbound: 5,
      firstAutomated: 5,
      firstHuman: 1,
      withinTarget: 4,
      slaBreaches: 1,
      responseMs: [60_000, 120_000, 180_000, 240_000, 300_000, 30_000, 5],
    });
  });

  it('lets a read see figures still pending, and keeps them once the next write has carried them, across a reopen', async () => {
    // Prepare
    const folder = mkdtempSync(join(tmpdir(), 'foghorn-analytics-'));
    const at = T + 2 * 24 * HOUR;
    const reference = memoryAnalyticsStore();
    try {
      let database = EmbeddedDatabase.open({ path: folder, stagedFlushMs: 60_000 });
      let store = new EmbeddedAnalyticsStore({ database });
      // Act: a read while the window is pending, then a window carried by the pipeline's next write
      await recordWindow(store, at);
      await recordWindow(reference, at);
      const pending = await store.read(new Date(at), new Date(at + HOUR));
      await recordWindow(store, at + HOUR);
      await recordWindow(reference, at + HOUR);
      await database.write((tx) => tx.put('unrelated/key', 3));
      const flushes = database.stats.stagedFlushes;
      await database.close();
      const flushesAtClose = database.stats.stagedFlushes - flushes;
      database = EmbeddedDatabase.open({ path: folder });
      store = new EmbeddedAnalyticsStore({ database });
      const reopened = await store.read(new Date(at), new Date(at + 2 * HOUR));
      await database.close();
      // Assess: the read saw the pending window; the write carried the next one (close had nothing left to flush)
      expect(pending).toEqual(await reference.read(new Date(at), new Date(at + HOUR)));
      expect(pending.find((bucket) => bucket.lang === 'en')).toMatchObject({ inbound: 5, firstAutomated: 5, firstHuman: 1 });
      expect(flushesAtClose).toBe(0);
      expect(reopened).toEqual(await reference.read(new Date(at), new Date(at + 2 * HOUR)));
      expect(reopened).toHaveLength(4);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { EmbeddedAnalyticsStore } from '../../../functions/storage/embedded/analytics-store.js';
import { useEmbeddedDatabase } from '../contracts/use-embedded-database.js';

const T = Date.parse('2026-11-22T10:00:00.000Z');
const dims = { platform: 'generic', channel: 'web', lang: 'en' };

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
});

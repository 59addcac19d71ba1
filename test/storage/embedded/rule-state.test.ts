import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedDatabase } from '../../../functions/storage/embedded/database.js';
import { EmbeddedRuleState } from '../../../functions/storage/embedded/rule-state.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = new Date('2026-11-22T10:00:00.000Z');

const folders: string[] = [];
const open: EmbeddedDatabase[] = [];

/** A database in a fresh (or the given) temp folder, closed and removed after the test. */
function openDb(folder = mkdtempSync(join(tmpdir(), 'foghorn-rule-state-'))): EmbeddedDatabase {
  if (!folders.includes(folder)) folders.push(folder);
  // A staged flush of its own must not come inside a test: only the next write carries the acquisitions.
  const db = EmbeddedDatabase.open({ path: folder, stagedFlushMs: 60_000 });
  open.push(db);
  return db;
}

async function reopen(db: EmbeddedDatabase): Promise<EmbeddedDatabase> {
  await db.close();
  return openDb(db.folder);
}

afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('embedded rule state (windows in memory, acquisitions staged)', () => {
  it('spends a limit without a write or a read of its own', async () => {
    const db = openDb();
    const limits = new EmbeddedRuleState({ database: db });
    const before = { ...db.stats };
    expect(await limits.tryAcquire('author:a:replies', 5, DAY, now)).toBe(true);
    expect(await limits.tryAcquire('rule:r:minute', 100, 60_000, now)).toBe(true);
    expect(await limits.peek('author:a:replies', 5, DAY, now)).toBe(1);
    expect({
      writes: db.stats.writes - before.writes,
      reads: db.stats.reads - before.reads,
      commits: db.stats.commits - before.commits,
    }).toEqual({
      writes: 0,
      reads: 0,
      commits: 0,
    });
  });

  it('puts the acquisitions on disk in the next write, so a reopen sees them', async () => {
    const db = openDb();
    const limits = new EmbeddedRuleState({ database: db });
    expect(await limits.tryAcquire('author:a:replies', 1, DAY, now)).toBe(true);
    expect(await limits.tryAcquire('rule:r:minute', 100, 60_000, now)).toBe(true);
    expect(db.range({ prefix: 'rule/' })).toEqual([]);

    // The decision that follows: one write, and it carries them.
    await db.write((tx) => tx.put('decision/generic:1', { rules: ['r'] }));
    expect(db.range({ prefix: 'rule/' }).map(({ key }) => key)).toEqual(['rule/author:a:replies/sliding', 'rule/rule:r:minute/fixed']);

    const again = new EmbeddedRuleState({ database: await reopen(db) });
    expect(await again.tryAcquire('author:a:replies', 1, DAY, now)).toBe(false);
    expect(await again.peek('rule:r:minute', 100, 60_000, now)).toBe(1);
    expect(await again.tryAcquire('author:a:replies', 1, DAY, new Date(now.getTime() + DAY))).toBe(true);
  });

  it('never grants more than the limit to concurrent acquisitions, across two stores over one database', async () => {
    const db = openDb();
    const first = new EmbeddedRuleState({ database: db });
    const second = new EmbeddedRuleState({ database: db });
    const race = (key: string, limit: number, windowMs: number, calls: number) =>
      Promise.all(Array.from({ length: calls }, (_, i) => (i % 2 === 0 ? first : second).tryAcquire(key, limit, windowMs, now)));
    expect((await race('sliding', 5, DAY, 40)).filter(Boolean)).toHaveLength(5);
    expect((await race('fixed', 25, 60_000, 60)).filter(Boolean)).toHaveLength(25);

    // And what reached disk says the same after a reopen.
    await db.write((tx) => tx.put('decision/generic:2', {}));
    const again = new EmbeddedRuleState({ database: await reopen(db) });
    expect(await again.peek('sliding', 5, DAY, now)).toBe(5);
    expect(await again.peek('fixed', 25, 60_000, now)).toBe(25);
  });

  it('writes again with the next commit what a failed commit lost', async () => {
    const db = openDb();
    const limits = new EmbeddedRuleState({ database: db });
    expect(await limits.tryAcquire('author:b:replies', 2, DAY, now)).toBe(true);
    // A write whose own function throws: its writes are undone, the staged acquisition still commits.
    await expect(
      db.write(() => {
        throw new Error('the decision was refused');
      }),
    ).rejects.toThrow('the decision was refused');
    expect(db.get('rule/author:b:replies/sliding')).toMatchObject({ times: [now.getTime()] });
  });

  it('reads the bare arrays the first embedded stores kept', async () => {
    const db = openDb();
    await db.write((tx) => {
      tx.put('rule/legacy/sliding', [now.getTime()]);
      tx.put('rule/legacy-ceiling/fixed', [[Math.floor(now.getTime() / 60_000), 10]]);
    });
    const limits = new EmbeddedRuleState({ database: await reopen(db) });
    expect(await limits.tryAcquire('legacy', 1, DAY, now)).toBe(false);
    expect(await limits.tryAcquire('legacy-ceiling', 10, 60_000, now)).toBe(false);
    expect(await limits.tryAcquire('legacy-ceiling', 20, 60_000, now)).toBe(true);
  });

  it('lets keys whose windows ended leave memory and disk', async () => {
    const db = openDb();
    const limits = new EmbeddedRuleState({ database: db });
    // Ten thousand one-minute ceilings in one minute, then one a day later: the sweep drops the old ones.
    for (let i = 0; i < 9_999; i++) await limits.tryAcquire(`minute:${i}`, 100, 60_000, now);
    await db.write((tx) => tx.put('decision/generic:3', {}));
    expect(db.range({ prefix: 'rule/' })).toHaveLength(9_999);
    await limits.tryAcquire('minute:late', 100, 60_000, new Date(now.getTime() + DAY));
    await db.write((tx) => tx.put('decision/generic:4', {}));
    expect(db.range({ prefix: 'rule/' }).map(({ key }) => key)).toEqual(['rule/minute:late/fixed']);
    expect(await limits.peek('minute:1', 100, 60_000, now)).toBe(0);
  });
});

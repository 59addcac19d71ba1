import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SlaTimer } from '../../../functions/crisis/ports.js';
import { EmbeddedDatabase } from '../../../functions/storage/embedded/database.js';
import { EmbeddedTimerStore } from '../../../functions/storage/embedded/timer-store.js';
import { makeEvent } from '../../support/events.js';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

const folders: string[] = [];
const open: EmbeddedDatabase[] = [];

function openDb(folder = mkdtempSync(join(tmpdir(), 'foghorn-timers-'))): EmbeddedDatabase {
  if (!folders.includes(folder)) folders.push(folder);
  const db = EmbeddedDatabase.open({ path: folder });
  open.push(db);
  return db;
}

afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function timer(id: string, conversations = ['slack|C1|t1']): SlaTimer {
  return {
    id,
    ruleId: 'sla',
    eventId: `slack:${id}`,
    conversations,
    after: '10m',
    dueAt: at(600).toISOString(),
    status: 'pending',
    event: makeEvent({ id: `slack:${id}` }),
    actions: [],
    createdAt: at(0).toISOString(),
  };
}

describe('embedded timer store: pending timers by conversation, in memory', () => {
  it('reads nothing to answer a conversation with no timer, and only the timer where one waits', async () => {
    const db = openDb();
    const timers = new EmbeddedTimerStore(db);
    const reads = async (step: () => Promise<unknown>) => {
      const before = db.stats.reads;
      await step();
      return db.stats.reads - before;
    };
    expect(await reads(() => timers.pendingInConversation('slack|C1|t1'))).toBe(0);
    await timers.put(timer('t', ['slack|C1|t1', 'slack|C1|t2']), at(0));
    expect(await reads(() => timers.pendingInConversation('slack|C9|other'))).toBe(0);
    expect(await reads(() => timers.pendingInConversation('slack|C1|t2'))).toBe(1);
    expect((await timers.pendingInConversation('slack|C1|t1')).map((t) => t.id)).toEqual(['t']);

    await timers.settle('t', 'answered', at(60));
    expect(await reads(() => timers.pendingInConversation('slack|C1|t1'))).toBe(0);
    expect(await timers.pendingInConversation('slack|C1|t2')).toEqual([]);
  });

  it('loads the pending timers at open, without the settled ones', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'foghorn-timers-'));
    const first = openDb(folder);
    const before = new EmbeddedTimerStore(first);
    await before.put(timer('waiting', ['slack|C1|a/b']), at(0));
    await before.put(timer('answered', ['slack|C1|a/b']), at(0));
    await before.settle('answered', 'answered', at(30));
    await first.close();

    const db = openDb(folder);
    const after = new EmbeddedTimerStore(db);
    expect((await after.pendingInConversation('slack|C1|a/b')).map((t) => t.id)).toEqual(['waiting']);
    const reads = db.stats.reads;
    expect(await after.pendingInConversation('slack|C1|a')).toEqual([]);
    expect(db.stats.reads).toBe(reads);
  });

  it('shares the index between the stores over one database', async () => {
    const db = openDb();
    const filing = new EmbeddedTimerStore(db);
    const answering = new EmbeddedTimerStore(db);
    await filing.put(timer('shared'), at(0));
    expect((await answering.pendingInConversation('slack|C1|t1')).map((t) => t.id)).toEqual(['shared']);
    expect(await answering.settle('shared', 'fired', at(600))).toBe(true);
    expect(await filing.pendingInConversation('slack|C1|t1')).toEqual([]);
  });
});

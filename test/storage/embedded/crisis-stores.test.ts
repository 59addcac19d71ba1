import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { epochMinute } from '../../../functions/crisis/minutes.js';
import type { SlaTimer } from '../../../functions/crisis/ports.js';
import { recordAuditIn } from '../../../functions/storage/embedded/audit-log.js';
import { embeddedCrisisStores } from '../../../functions/storage/embedded/crisis-stores.js';
import { EmbeddedDatabase } from '../../../functions/storage/embedded/database.js';
import { EXPIRY_PREFIX } from '../../../functions/storage/embedded/retention.js';
import {
  approvalStoreContract,
  auditLogContract,
  counterAndEpisodeContract,
  crisisStoreContract,
  timerStoreContract,
} from '../../crisis/support/store-contracts.js';
import { makeEvent } from '../../support/events.js';

const folders: string[] = [];
const open: EmbeddedDatabase[] = [];

/** A database in a fresh temp folder, closed and removed after the test. */
function openDb(folder = mkdtempSync(join(tmpdir(), 'foghorn-crisis-'))): EmbeddedDatabase {
  if (!folders.includes(folder)) folders.push(folder);
  const db = EmbeddedDatabase.open({ path: folder });
  open.push(db);
  return db;
}

function stores() {
  return embeddedCrisisStores(openDb());
}

afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('embedded crisis stores (lmdb)', () => {
  describe('counters and episodes', () => counterAndEpisodeContract(stores));
  describe('crisis switch', () => crisisStoreContract(() => stores().crisis));
  describe('SLA timers', () => timerStoreContract(() => stores().timers));
  describe('approvals', () => approvalStoreContract(() => stores().approvals));
  describe('audit log', () => auditLogContract(() => stores().audit));
});

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

function timer(id: string): SlaTimer {
  return {
    id,
    ruleId: 'sla',
    eventId: `slack:${id}`,
    conversations: ['slack|C1|t1'],
    after: '10m',
    dueAt: at(600).toISOString(),
    status: 'pending',
    event: makeEvent({ id: `slack:${id}` }),
    actions: [],
    createdAt: at(0).toISOString(),
  };
}

describe('embedded crisis stores over one database', () => {
  it('makes each change one write, a refused change none, and never writes on a read', async () => {
    const db = openDb();
    const { counters, timers, audit, approvals, crisis } = embeddedCrisisStores(db);
    const writes = async (step: () => Promise<unknown>) => {
      const before = db.stats.writes;
      await step();
      return db.stats.writes - before;
    };
    expect(await writes(() => counters.increment('k', at(0), 600_000))).toBe(1);
    expect(await writes(() => timers.put(timer('t'), at(0)))).toBe(1);
    expect(await writes(() => timers.put(timer('t'), at(0)))).toBe(0);
    expect(await writes(() => timers.settle('t', 'fired', at(600)))).toBe(1);
    expect(await writes(() => timers.settle('t', 'answered', at(600)))).toBe(0);
    expect(await writes(() => audit.record({ id: 'a', at: at(0).toISOString(), kind: 'crisis', what: 'crisis.on' }))).toBe(1);
    expect(await writes(() => audit.record({ id: 'a', at: at(1).toISOString(), kind: 'crisis', what: 'crisis.on' }))).toBe(0);
    expect(await writes(() => crisis.set({ on: true }, 5))).toBe(0);
    const reads = await writes(async () => {
      const minute = epochMinute(at(0));
      await counters.buckets('k', minute, minute, at(1));
      await counters.samples('k', minute, minute, at(1), 5);
      await timers.pendingInMinutes([minute, minute + 10]);
      await timers.pendingInConversation('slack|C1|t1');
      await timers.sweptThrough();
      await approvals.list(undefined, 10);
      await approvals.get('none');
      await audit.list(10);
      await crisis.get();
    });
    expect(reads).toBe(0);
  });

  it('keeps every store under crisis/ and survives a close and reopen', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'foghorn-crisis-'));
    const first = openDb(folder);
    const before = embeddedCrisisStores(first);
    await before.counters.increment('spike:r', at(0), 600_000);
    await before.crisis.set({ on: true, by: 'maya' }, 0);
    await before.timers.put(timer('t'), at(0));
    await before.timers.setSweptThrough(42);
    await before.approvals.putIfAbsent({
      id: 'p',
      status: 'pending',
      reason: 'crisis mode',
      heldBy: 'crisis',
      createdAt: at(0).toISOString(),
      expiresAt: at(86_400).toISOString(),
    });
    await before.audit.record({ id: 'a', at: at(0).toISOString(), kind: 'crisis', what: 'crisis.on' });
    // The expiry index (retention.ts) is the one store-wide ordering: every record it names is under crisis/.
    const expiries = first.range<string[]>({ prefix: EXPIRY_PREFIX });
    expect(expiries.flatMap(({ value }) => value).filter((key) => !key.startsWith('crisis/'))).toEqual([]);
    expect(first.range({ prefix: '' }).filter(({ key }) => !key.startsWith('crisis/') && !key.startsWith(EXPIRY_PREFIX))).toEqual([]);
    await first.close();

    const after = embeddedCrisisStores(openDb(folder));
    const minute = epochMinute(at(0));
    expect(await after.counters.buckets('spike:r', minute, minute, at(1))).toEqual(new Map([[minute, 1]]));
    expect(await after.crisis.get()).toEqual({ on: true, by: 'maya', version: 1 });
    expect((await after.timers.pendingInConversation('slack|C1|t1')).map((t) => t.id)).toEqual(['t']);
    expect(await after.timers.sweptThrough()).toBe(42);
    expect((await after.approvals.list('pending', 10)).map((a) => a.id)).toEqual(['p']);
    expect((await after.audit.list(10)).map((entry) => entry.id)).toEqual(['a']);
  });

  it('removes a counter’s long-expired buckets as it counts, so it holds only its retention’s worth', async () => {
    const db = openDb();
    const { counters } = embeddedCrisisStores(db);
    // Ten minutes' retention, counted for five hours: only the last hour or so may stay on disk.
    for (let minute = 0; minute < 300; minute++) await counters.increment('busy', at(minute * 60), 600_000);
    await counters.increment('quiet', at(0), 600_000);
    const stored = (key: string) => db.range({ prefix: `crisis/counter/${key}/` }).length;
    expect(stored('busy')).toBeLessThanOrEqual(60 + 10 + 2);
    expect(stored('busy')).toBeGreaterThanOrEqual(10);
    expect(stored('quiet')).toBe(1);
    const last = epochMinute(at(299 * 60));
    expect((await counters.buckets('busy', last - 9, last, at(299 * 60))).size).toBe(10);
  });

  it('leaves no listing entry behind once a timer settles, an episode closes or an approval is decided', async () => {
    const db = openDb();
    const { timers, episodes, approvals } = embeddedCrisisStores(db);
    await timers.put({ ...timer('t'), conversations: ['slack|C1|t1', 'slack|C1|t2'] }, at(0));
    await timers.settle('t', 'answered', at(60));
    const first = makeEvent({ id: 'generic:spike' });
    await episodes.open({
      ruleId: 'r',
      incident: 'spike:r:0',
      status: 'open',
      startedAt: at(0).toISOString(),
      lastEventAt: at(0).toISOString(),
      count: 1,
      quietMs: 60_000,
      firstEvent: first,
      actions: [],
    });
    await episodes.close('r', 'spike:r:0', at(0).toISOString(), at(120));
    await episodes.dispatched('r', 'spike:r:0');
    const held = {
      id: 'p',
      status: 'pending' as const,
      reason: 'x',
      heldBy: 'rule' as const,
      createdAt: at(0).toISOString(),
      expiresAt: at(60).toISOString(),
    };
    await approvals.putIfAbsent(held);
    await approvals.decide('p', 'expired', 'sweep', undefined, at(60));
    const keys = (prefix: string) => db.range({ prefix }).map(({ key }) => key);
    expect(keys('crisis/timer-due/')).toEqual([]);
    expect(keys('crisis/timer-conv/')).toEqual([]);
    expect(keys('crisis/spike-open/')).toEqual([]);
    expect(keys('crisis/approvals/')).toEqual([expect.stringMatching(/^crisis\/approvals\/expired\//)]);
  });

  it('checks each condition inside the transaction, so calls that overlap keep the first change', async () => {
    const { approvals, timers } = stores();
    const held = {
      id: 'p',
      status: 'pending' as const,
      reason: 'x',
      heldBy: 'rule' as const,
      createdAt: at(0).toISOString(),
      expiresAt: at(60).toISOString(),
    };
    await approvals.putIfAbsent(held);
    // Both calls pass the read of committed data before either transaction runs; transactions run in call order.
    await Promise.all([approvals.markDispatched('p', at(1)), approvals.markDispatched('p', at(2))]);
    expect((await approvals.get('p'))?.dispatchedAt).toBe(at(1).toISOString());
    const filed = await Promise.all([
      approvals.putIfAbsent(held),
      approvals.putIfAbsent({ ...held, id: 'q' }),
      approvals.putIfAbsent({ ...held, id: 'q', reason: 'y' }),
    ]);
    expect(filed.map((approval) => approval.reason)).toEqual(['x', 'x', 'x']);
    expect(await Promise.all([timers.put(timer('t'), at(0)), timers.put(timer('t'), at(0))])).toEqual([true, false]);
    await Promise.all([timers.setSweptThrough(7), timers.setSweptThrough(5)]);
    expect(await timers.sweptThrough()).toBe(7);
  });

  it('folds an audit entry into another write, once per id', async () => {
    const db = openDb();
    const { audit } = embeddedCrisisStores(db);
    const entry = { id: 'reply.sent:act_1', at: at(0).toISOString(), kind: 'action' as const, what: 'reply.sent', commandId: 'act_1' };
    expect(
      await db.write((tx) => {
        tx.put('action/act_1', { status: 'done' });
        return recordAuditIn(tx, entry);
      }),
    ).toBe(true);
    expect(await db.write((tx) => recordAuditIn(tx, { ...entry, at: at(5).toISOString() }))).toBe(false);
    expect(await audit.list(10)).toEqual([entry]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActionCommand } from '../../../functions/core/action-command.js';
import { ACTION_RETENTION_DAYS, DECISION_RETENTION_DAYS, EVENT_RETENTION_DAYS } from '../../../functions/core/retention.js';
import type { AuditEntry } from '../../../functions/crisis/ports.js';
import { AUDIT_RETENTION_DAYS } from '../../../functions/crisis/retention.js';
import { EmbeddedActionStore } from '../../../functions/storage/embedded/action-store.js';
import { EmbeddedAuditLog } from '../../../functions/storage/embedded/audit-log.js';
import { EmbeddedDatabase } from '../../../functions/storage/embedded/database.js';
import { EmbeddedDecisionStore } from '../../../functions/storage/embedded/decision-store.js';
import { EmbeddedEventStore } from '../../../functions/storage/embedded/event-store.js';
import { EXPIRY_PREFIX } from '../../../functions/storage/embedded/retention.js';
import { makeEvent } from '../../support/events.js';

const DAY_MS = 86_400_000;
const T0 = Date.parse('2026-01-05T10:00:00.000Z');

const folders: string[] = [];
const open: EmbeddedDatabase[] = [];

afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A database with retention on, over a clock the test moves. */
function openDb(folder = mkdtempSync(join(tmpdir(), 'foghorn-retention-'))) {
  if (!folders.includes(folder)) folders.push(folder);
  const clock = { ms: T0, now: () => new Date(clock.ms) };
  const db = EmbeddedDatabase.open({ path: folder, retention: clock });
  open.push(db);
  return { db, clock, folder };
}

const command = (id: string, eventId: string): ActionCommand =>
  ({ id, eventId, ruleId: 'r1', index: 0, type: 'reply', params: {}, event: makeEvent({ id: eventId }) }) as unknown as ActionCommand;

const audit = (id: string, at: number): AuditEntry => ({ id, at: new Date(at).toISOString(), kind: 'action', what: 'reply.sent' });

/** Every key the database holds under `prefix`. */
function keys(db: EmbeddedDatabase, prefix = ''): string[] {
  return db.range({ prefix }).map(({ key }) => key);
}

async function sweepAll(db: EmbeddedDatabase, limit?: number) {
  const passes = [];
  for (let pass = 0; pass < 100; pass++) {
    const result = await db.sweepExpired(limit === undefined ? {} : { limit });
    passes.push(result);
    if (result.done) return passes;
  }
  throw new Error('the sweep never finished');
}

async function fill(db: EmbeddedDatabase) {
  const events = new EmbeddedEventStore({ database: db });
  const decisions = new EmbeddedDecisionStore({ database: db });
  const actions = new EmbeddedActionStore({ database: db });
  const auditLog = new EmbeddedAuditLog(db);
  const iso = (ms: number) => new Date(ms).toISOString();
  await events.putIfAbsent(makeEvent({ id: 'generic:old', receivedAt: iso(T0) }), {
    platform: 'generic',
    body: Buffer.from('old'),
    receivedAt: new Date(T0),
  });
  await events.putIfAbsent(makeEvent({ id: 'generic:new', receivedAt: iso(T0 + 30 * DAY_MS) }));
  await decisions.putIfAbsent({ eventId: 'generic:old', rules: ['r1'], commands: [], decidedAt: iso(T0) });
  await actions.claim(command('act_old', 'generic:old'), 60_000, new Date(T0));
  await actions.complete('act_old', { status: 'succeeded' }, new Date(T0 + 1000), { audit: audit('reply.sent:act_old', T0) });
  await auditLog.record(audit('reply.sent:new', T0 + 30 * DAY_MS));
  return { events, decisions, actions, auditLog };
}

describe('embedded retention (the DynamoDB TTL periods)', () => {
  it('stops answering an expired event, decision, action and audit entry, and the sweep removes them with their listings', async () => {
    const { db, clock } = openDb();
    const { events, decisions, actions, auditLog } = await fill(db);
    const expiryEntries = keys(db, EXPIRY_PREFIX).length;
    expect(expiryEntries).toBe(6);

    // The decision goes first (14 days), everything else stays.
    clock.ms = T0 + DECISION_RETENTION_DAYS * DAY_MS;
    expect(await decisions.get('generic:old')).toBeUndefined();
    expect(await events.get('generic:old')).toBeDefined();

    // Past the event and action retention: not answered even before a sweep.
    clock.ms = T0 + Math.max(EVENT_RETENTION_DAYS, ACTION_RETENTION_DAYS) * DAY_MS;
    expect(await events.get('generic:old')).toBeUndefined();
    expect(await events.getRaw('event#generic:old')).toBeUndefined();
    expect((await events.listRecent(10)).map((event) => event.id)).toEqual(['generic:new']);
    expect((await events.listPage({ limit: 10 })).items.map((event) => event.id)).toEqual(['generic:new']);
    expect(await actions.get('act_old')).toBeUndefined();
    expect(await actions.listRecent(10)).toEqual([]);
    expect((await actions.listPage({ limit: 10 })).items).toEqual([]);
    expect(db.get('event/generic:old')).toBeDefined();
    // The audit line is kept 400 days.
    expect((await auditLog.list(10)).map((entry) => entry.id)).toEqual(['reply.sent:new', 'reply.sent:act_old']);

    const [swept] = await sweepAll(db);
    expect(swept).toMatchObject({ expired: 3, done: true });
    for (const gone of ['event/generic:old', 'raw/event#generic:old', 'decision/generic:old', 'action/act_old'])
      expect(db.get(gone)).toBeUndefined();
    expect(keys(db, 'idx/events/')).toHaveLength(1);
    expect(keys(db, 'idx/actions/')).toEqual([]);
    expect(db.get('event/generic:new')).toBeDefined();

    clock.ms = T0 + AUDIT_RETENTION_DAYS * DAY_MS;
    expect((await auditLog.list(10)).map((entry) => entry.id)).toEqual(['reply.sent:new']);
    await sweepAll(db);
    expect(keys(db, 'crisis/audit')).toEqual([
      'crisis/audit-at/2026-02-04T10%3A00%3A00.000Z#reply.sent%3Anew',
      'crisis/audit/reply.sent%3Anew',
    ]);
    // The newer event is gone too by now (T0 + 30 + 90 days < T0 + 400 days): nothing is left but the audit line.
    expect(keys(db, 'event/')).toEqual([]);
    expect(keys(db, EXPIRY_PREFIX)).toHaveLength(1);
  });

  it('moves an action’s expiry with each claim, as DynamoDB’s ttl', async () => {
    const { db, clock } = openDb();
    const actions = new EmbeddedActionStore({ database: db });
    await actions.claim(command('act_1', 'generic:e1'), 60_000, new Date(T0));
    await actions.release('act_1', 'busy', new Date(T0 + 1000));
    await actions.claim(command('act_1', 'generic:e1'), 60_000, new Date(T0 + 10 * DAY_MS));
    expect(keys(db, EXPIRY_PREFIX)).toHaveLength(1);
    clock.ms = T0 + ACTION_RETENTION_DAYS * DAY_MS;
    expect(await actions.get('act_1')).toBeDefined();
    await sweepAll(db);
    expect(db.get('action/act_1')).toBeDefined();
    clock.ms = T0 + (ACTION_RETENTION_DAYS + 10) * DAY_MS;
    expect(await actions.get('act_1')).toBeUndefined();
    await sweepAll(db);
    expect(db.get('action/act_1')).toBeUndefined();
  });

  it('is bounded: one pass removes at most its limit, the next passes the rest', async () => {
    const { db, clock } = openDb();
    const events = new EmbeddedEventStore({ database: db });
    await Promise.all(
      Array.from({ length: 25 }, (_, index) =>
        events.putIfAbsent(makeEvent({ id: `generic:b${index}`, receivedAt: new Date(T0 + index * 1000).toISOString() })),
      ),
    );
    clock.ms = T0 + EVENT_RETENTION_DAYS * DAY_MS + DAY_MS;
    const writes = db.stats.writes;
    const passes = await sweepAll(db, 10);
    expect(passes.map((pass) => pass.expired)).toEqual([10, 10, 5]);
    expect(passes.map((pass) => pass.done)).toEqual([false, false, true]);
    expect(keys(db, 'event/')).toEqual([]);
    // A sweep is a commit of its own, not a write: the per-webhook counts never see it.
    expect(db.stats.writes).toBe(writes);
    expect(db.stats.expired).toBe(25);
  });

  it('backfills records kept before expiry entries existed, a bounded slice per pass, once', async () => {
    const { db, clock, folder } = openDb();
    const events = new EmbeddedEventStore({ database: db });
    await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        events.putIfAbsent(makeEvent({ id: `generic:o${index}`, receivedAt: new Date(T0).toISOString() })),
      ),
    );
    await new EmbeddedDecisionStore({ database: db }).putIfAbsent({
      eventId: 'generic:o0',
      rules: [],
      commands: [],
      decidedAt: new Date(T0).toISOString(),
    });
    await new EmbeddedAuditLog(db).record(audit('old-audit', T0));
    // As a store from before this change left them: no expiry entries, no backfill marks.
    await db.write((tx) => {
      for (const key of keys(db, EXPIRY_PREFIX)) tx.remove(key);
      for (const key of keys(db, 'retention/')) tx.remove(key);
    });
    await db.close();
    open.splice(0);

    const reopened = openDb(folder);
    reopened.clock.ms = clock.ms;
    new EmbeddedEventStore({ database: reopened.db });
    new EmbeddedDecisionStore({ database: reopened.db });
    new EmbeddedAuditLog(reopened.db);
    const passes = await sweepAll(reopened.db, 5);
    expect(passes.reduce((sum, pass) => sum + pass.backfilled, 0)).toBe(14);
    expect(passes.length).toBeGreaterThan(2);
    expect(keys(reopened.db, EXPIRY_PREFIX)).toHaveLength(14);
    // Done once: a later pass scans nothing.
    expect(await reopened.db.sweepExpired()).toEqual({ expired: 0, backfilled: 0, done: true });

    reopened.clock.ms = T0 + EVENT_RETENTION_DAYS * DAY_MS;
    await sweepAll(reopened.db);
    expect(keys(reopened.db, 'event/')).toEqual([]);
    expect(keys(reopened.db, 'decision/')).toEqual([]);
    expect(keys(reopened.db, 'crisis/audit')).toHaveLength(2);
  });

  it('without retention on, answers every record as before (tools, fixed-date tests)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'foghorn-retention-'));
    folders.push(folder);
    const db = EmbeddedDatabase.open({ path: folder });
    open.push(db);
    const decisions = new EmbeddedDecisionStore({ database: db });
    await decisions.putIfAbsent({ eventId: 'generic:x', rules: [], commands: [], decidedAt: '2020-01-01T00:00:00.000Z' });
    expect(await decisions.get('generic:x')).toBeDefined();
    await expect(db.sweepExpired()).rejects.toThrow('retention is off');
  });
});

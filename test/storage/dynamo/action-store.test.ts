import { describe, expect, it } from 'vitest';
import type { ActionCommand } from '../../../functions/core/action-command.js';
import type { AuditRecord } from '../../../functions/core/ports.js';
import { DynamoActionStore } from '../../../functions/storage/dynamo/action-store.js';
import { DynamoAuditLog } from '../../../functions/storage/dynamo/audit-log.js';
import { ClaimCrisisChecks } from '../../../functions/storage/dynamo/claim-crisis-checks.js';
import { DynamoCrisisStore } from '../../../functions/storage/dynamo/crisis-store.js';
import { DynamoEventStore } from '../../../functions/storage/dynamo/event-store.js';
import { actionStoreContract } from '../../core/action-store-contract.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { countDynamoCalls } from '../../support/dynamo-calls.js';
import { makeEvent } from '../../support/events.js';

function command(id: string): ActionCommand {
  return {
    id,
    eventId: 'generic:e1',
    ruleId: 'faq',
    index: 0,
    type: 'reply',
    params: { text: 'hi' },
    event: makeEvent(),
    createdAt: '2026-11-22T10:00:00.000Z',
  };
}

describe('DynamoActionStore', () => {
  const dynamo = useEmbeddedDynamo();
  const store = () => new DynamoActionStore({ client: dynamo.current.client, tableName: dynamo.current.tableName });
  const t0 = new Date('2026-11-22T10:00:00.000Z');

  actionStoreContract(store, 'contract-');

  it('lets one worker claim a command; a second claim is busy until the lease runs out, then takes it over', async () => {
    expect(await store().claim(command('a1'), 30_000, t0)).toBe('claimed');
    expect(await store().claim(command('a1'), 30_000, new Date(t0.getTime() + 1000))).toBe('busy');
    expect(await store().claim(command('a1'), 30_000, new Date(t0.getTime() + 31_000))).toBe('reclaimed');
    expect((await store().get('a1'))?.attempts).toBe(2);
  });

  it('never claims a completed command again', async () => {
    await store().claim(command('a2'), 30_000, t0);
    await store().complete(
      'a2',
      { status: 'succeeded', mode: 'sandbox', request: { method: 'POST', url: 'http://x', headers: {}, body: '{}' } },
      t0,
    );
    expect(await store().claim(command('a2'), 30_000, new Date(t0.getTime() + 3_600_000))).toBe('completed');
    expect(await store().get('a2')).toMatchObject({ status: 'succeeded', mode: 'sandbox', ruleId: 'faq', eventId: 'generic:e1' });
  });

  it('lets exactly one of many concurrent claims win', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => store().claim(command('a3'), 30_000, t0)));
    expect(results.filter((result) => result === 'claimed')).toHaveLength(1);
  });

  it('makes a released (transiently failed) command claimable again', async () => {
    await store().claim(command('a4'), 30_000, t0);
    await store().release('a4', 'rate limited', t0);
    expect((await store().get('a4'))?.status).toBe('retrying');
    expect(await store().claim(command('a4'), 30_000, t0)).toBe('claimed');
  });

  it('lists actions newest first', async () => {
    await store().claim(command('b1'), 1, new Date('2031-01-01T00:00:00Z'));
    await store().claim(command('b2'), 1, new Date('2031-01-01T00:00:01Z'));
    expect((await store().listRecent(2)).map((record) => record.id)).toEqual(['b2', 'b1']);
  });

  describe('a completion with effects', () => {
    const events = () => new DynamoEventStore(dynamo.current);
    const audit = () => new DynamoAuditLog(dynamo.current);
    const line = (id: string): AuditRecord => ({ id, at: t0.toISOString(), kind: 'action', what: 'tag.succeeded', commandId: id });
    const tagging = (id: string, eventId: string): ActionCommand => ({ ...command(id), eventId, type: 'tag', params: { tags: ['vip'] } });

    it("is one write: the record, the event's tags and the audit line together", async () => {
      await events().putIfAbsent(makeEvent({ id: 'generic:fx-1' }));
      await store().claim(tagging('fx-1', 'generic:fx-1'), 30_000, t0);
      const calls = countDynamoCalls(dynamo.current.client);
      await store().complete('fx-1', { status: 'succeeded' }, t0, {
        tags: { eventId: 'generic:fx-1', tags: ['vip', 'complaint'] },
        audit: line('action:fx-1:succeeded'),
      });
      calls.stop();
      expect(calls.names).toEqual(['TransactWriteItemsCommand']);
      expect((await store().get('fx-1'))?.status).toBe('succeeded');
      expect((await events().get('generic:fx-1'))?.event.tags).toEqual(['vip', 'complaint']);
      expect((await audit().list(50)).find((entry) => entry.id === 'action:fx-1:succeeded')).toMatchObject({ what: 'tag.succeeded' });
    });

    it('is a plain update without effects', async () => {
      await store().claim(command('fx-2'), 30_000, t0);
      const calls = countDynamoCalls(dynamo.current.client);
      await store().complete('fx-2', { status: 'succeeded' }, t0, {});
      calls.stop();
      expect(calls.names).toEqual(['UpdateItemCommand']);
    });

    it('keeps an audit line alone on the action item: one plain update, listed with the log by time', async () => {
      await audit().record({ ...line('log:before'), at: '2026-11-22T09:59:59.000Z', what: 'before' });
      await audit().record({ ...line('log:after'), at: '2026-11-22T10:00:01.000Z', what: 'after' });
      await store().claim(command('fx-6'), 30_000, t0);
      const calls = countDynamoCalls(dynamo.current.client);
      await store().complete('fx-6', { status: 'succeeded' }, t0, { audit: line('action:fx-6:succeeded') });
      calls.stop();
      expect(calls.names).toEqual(['UpdateItemCommand']);
      expect(await store().get('fx-6')).not.toHaveProperty('audit');
      const listed = (await audit().list(50)).map((entry) => entry.id);
      expect(listed.filter((id) => id === 'action:fx-6:succeeded')).toHaveLength(1);
      expect(listed.indexOf('log:after')).toBeLessThan(listed.indexOf('action:fx-6:succeeded'));
      expect(listed.indexOf('action:fx-6:succeeded')).toBeLessThan(listed.indexOf('log:before'));
      // A completion written again keeps the line as it was.
      await store().complete('fx-6', { status: 'succeeded' }, t0, { audit: { ...line('action:fx-6:succeeded'), what: 'again' } });
      expect((await audit().list(50)).find((entry) => entry.id === 'action:fx-6:succeeded')?.what).toBe('tag.succeeded');
    });

    it("keeps each outcome's line of an action claimed again after a failure", async () => {
      await store().claim(command('fx-7'), 30_000, t0);
      await store().complete('fx-7', { status: 'failed', error: 'refused' }, t0, { audit: line('action:fx-7:failed') });
      expect(await store().claim(command('fx-7'), 30_000, t0)).toBe('claimed');
      await store().complete('fx-7', { status: 'succeeded' }, t0, { audit: line('action:fx-7:succeeded') });
      const listed = (await audit().list(50)).map((entry) => entry.id);
      expect(listed).toContain('action:fx-7:failed');
      expect(listed).toContain('action:fx-7:succeeded');
    });

    it('writes the rest when the audit line is recorded already', async () => {
      await events().putIfAbsent(makeEvent({ id: 'generic:fx-3' }));
      await audit().record({ ...line('action:fx-3:succeeded'), what: 'recorded before' });
      await store().claim(tagging('fx-3', 'generic:fx-3'), 30_000, t0);
      await store().complete('fx-3', { status: 'succeeded' }, t0, {
        tags: { eventId: 'generic:fx-3', tags: ['vip'] },
        audit: line('action:fx-3:succeeded'),
      });
      expect((await store().get('fx-3'))?.status).toBe('succeeded');
      expect((await events().get('generic:fx-3'))?.event.tags).toEqual(['vip']);
      expect((await audit().list(50)).find((entry) => entry.id === 'action:fx-3:succeeded')?.what).toBe('recorded before');
    });

    it('writes nothing, and says why, when the event to tag is not stored', async () => {
      await store().claim(tagging('fx-4', 'generic:fx-missing'), 30_000, t0);
      await expect(
        store().complete('fx-4', { status: 'succeeded' }, t0, {
          tags: { eventId: 'generic:fx-missing', tags: ['vip'] },
          audit: line('action:fx-4:succeeded'),
        }),
      ).rejects.toThrow('tags event generic:fx-missing, which is not stored');
      expect((await store().get('fx-4'))?.status).toBe('in-progress');
      expect((await audit().list(50)).some((entry) => entry.id === 'action:fx-4:succeeded')).toBe(false);
    });

    it('refuses to complete a command that was never claimed, effects or not', async () => {
      await expect(store().complete('fx-never', { status: 'succeeded' }, t0, { audit: line('action:fx-never:succeeded') })).rejects.toThrow(
        'no action fx-never',
      );
      await expect(store().complete('fx-never', { status: 'succeeded' }, t0)).rejects.toThrow();
    });

    it('lets concurrent completions that tag one event all land', async () => {
      await events().putIfAbsent(makeEvent({ id: 'generic:fx-5' }));
      const ids = ['fx-5a', 'fx-5b', 'fx-5c'];
      for (const id of ids) await store().claim(tagging(id, 'generic:fx-5'), 30_000, t0);
      await Promise.all(
        ids.map((id) => store().complete(id, { status: 'succeeded' }, t0, { tags: { eventId: 'generic:fx-5', tags: [id] } })),
      );
      expect((await events().get('generic:fx-5'))?.event.tags?.sort()).toEqual(ids);
    });
  });

  it('tells busy from completed on a refused claim without reading the record', async () => {
    await store().claim(command('c1'), 30_000, t0);
    const calls = countDynamoCalls(dynamo.current.client);
    expect(await store().claim(command('c1'), 30_000, t0)).toBe('busy');
    await store().complete('c1', { status: 'succeeded' }, t0);
    expect(await store().claim(command('c1'), 30_000, t0)).toBe('completed');
    calls.stop();
    expect(calls.reads()).toEqual([]);
  });

  describe('claims that check crisis mode in their own transaction', () => {
    const checks = new ClaimCrisisChecks((checked) => checked.type === 'reply');
    const checked = () =>
      new DynamoActionStore({ client: dynamo.current.client, tableName: dynamo.current.tableName, crisisChecks: checks });
    const crisis = () =>
      new DynamoCrisisStore({ client: dynamo.current.client, tableName: dynamo.current.tableName, crisisChecks: checks });

    actionStoreContract(checked, 'checked-contract-');

    it('claims a reply with crisis mode off in one transaction (the claim and a check of the switch), and tells the guard once', async () => {
      const calls = countDynamoCalls(dynamo.current.client);
      expect(await checked().claim(command('k1'), 30_000, t0)).toBe('claimed');
      calls.stop();
      expect(calls.calls).toEqual([
        { command: 'TransactWriteItemsCommand', keys: ['ACTION#k1', 'CRISIS'], items: ['Update ACTION#k1', 'ConditionCheck CRISIS'] },
      ]);
      expect(crisis().checkedOffAtClaim('k1')).toBe(true);
      expect(crisis().checkedOffAtClaim('k1')).toBe(false);
      expect(await store().get('k1')).toMatchObject({ status: 'in-progress', attempts: 1, type: 'reply' });
    });

    it('tells busy, a takeover and completed apart as the plain claim does', async () => {
      expect(await checked().claim(command('k2'), 30_000, t0)).toBe('claimed');
      expect(await checked().claim(command('k2'), 30_000, new Date(t0.getTime() + 1000))).toBe('busy');
      // A takeover goes through the plain claim, which says so.
      expect(await checked().claim(command('k2'), 30_000, new Date(t0.getTime() + 31_000))).toBe('reclaimed');
      expect(crisis().checkedOffAtClaim('k2')).toBe(true);
      await checked().complete('k2', { status: 'succeeded' }, t0);
      expect(await checked().claim(command('k2'), 30_000, new Date(t0.getTime() + 3_600_000))).toBe('completed');
      await checked().release('k2', 'x', t0);
      expect((await store().get('k2'))?.attempts).toBe(2);
    });

    it('with crisis mode on, the reply is claimed by the plain claim and the guard is told nothing (it reads the switch)', async () => {
      // Switched on from another container: this one's claims check, are refused, and claim plainly.
      const elsewhere = new DynamoCrisisStore({ client: dynamo.current.client, tableName: dynamo.current.tableName });
      const switchStore = crisis();
      const before = await elsewhere.get();
      expect(await elsewhere.set({ on: true, since: t0.toISOString(), by: 'test', why: 'drill' }, before.version)).toBe(true);
      try {
        const calls = countDynamoCalls(dynamo.current.client);
        expect(await checked().claim(command('k3'), 30_000, t0)).toBe('claimed');
        calls.stop();
        expect(calls.names).toEqual(['TransactWriteItemsCommand', 'UpdateItemCommand']);
        expect(crisis().checkedOffAtClaim('k3')).toBe(false);
        // Once this container's crisis store has read the switch on (its guard did), claims skip the doomed check.
        expect((await switchStore.get()).on).toBe(true);
        const after = countDynamoCalls(dynamo.current.client);
        expect(await checked().claim(command('k3b'), 30_000, t0)).toBe('claimed');
        after.stop();
        expect(after.names).toEqual(['UpdateItemCommand']);
        expect(crisis().checkedOffAtClaim('k3b')).toBe(false);
      } finally {
        const on = await switchStore.get();
        expect(await switchStore.set({ on: false, since: t0.toISOString(), by: 'test', why: 'drill over' }, on.version)).toBe(true);
      }
    });

    it('claims other actions plainly', async () => {
      const calls = countDynamoCalls(dynamo.current.client);
      expect(await checked().claim({ ...command('k4'), type: 'tag' }, 30_000, t0)).toBe('claimed');
      calls.stop();
      expect(calls.names).toEqual(['UpdateItemCommand']);
    });
  });
});

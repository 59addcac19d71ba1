import { expect, it } from 'vitest';
import type { ActionCommand } from '../../functions/core/action-command.js';
import type { ActionStore, AuditRecord, EventStore } from '../../functions/core/ports.js';
import { makeEvent } from '../support/events.js';

/**
 * For stores that fold an action's effects into its completion: the event store and the audit listing over
 * the same storage as the action store.
 */
export interface CompletionEffectsHarness {
  events: () => EventStore;
  audit: (limit: number) => Promise<AuditRecord[]>;
}

/**
 * What every ActionStore must do, run against the in-memory store the crisis tests use and the DynamoDB one
 * (dynalite): the same tests, so the two cannot drift. Ids are prefixed so several runs can share a table.
 */
export function actionStoreContract(make: () => ActionStore, prefix: string, effects?: CompletionEffectsHarness): void {
  const t0 = new Date('2026-11-22T10:00:00.000Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);
  const command = (id: string): ActionCommand => ({
    id: `${prefix}${id}`,
    eventId: 'generic:e1',
    ruleId: 'faq',
    index: 0,
    type: 'reply',
    params: { text: 'hi' },
    event: makeEvent(),
    createdAt: t0.toISOString(),
  });

  it('claims a new command; a second claim is busy until the lease runs out, then it is a takeover (reclaimed)', async () => {
    const store = make();
    expect(await store.claim(command('c1'), 30_000, t0)).toBe('claimed');
    expect(await store.claim(command('c1'), 30_000, at(1000))).toBe('busy');
    expect(await store.claim(command('c1'), 30_000, at(31_000))).toBe('reclaimed');
    expect(await store.claim(command('c1'), 30_000, at(32_000))).toBe('busy');
    expect(await store.get(command('c1').id)).toMatchObject({ status: 'in-progress', attempts: 2 });
  });

  it('a released command is claimed afresh (not a takeover); a completed or unknown one is never claimed again', async () => {
    const store = make();
    await store.claim(command('c2'), 30_000, t0);
    await store.release(command('c2').id, 'rate limited', t0);
    expect(await store.get(command('c2').id)).toMatchObject({ status: 'retrying', error: 'rate limited' });
    expect(await store.claim(command('c2'), 30_000, at(1))).toBe('claimed');
    await store.complete(command('c2').id, { status: 'succeeded', mode: 'live', externalId: 'm1' }, at(2));
    expect(await store.claim(command('c2'), 30_000, at(3_600_000))).toBe('completed');

    await store.claim(command('c3'), 30_000, t0);
    await store.complete(command('c3').id, { status: 'unknown', mode: 'live', error: 'no answer within 10000 ms' }, at(1));
    expect(await store.claim(command('c3'), 30_000, at(3_600_000))).toBe('completed');
    expect(await store.get(command('c3').id)).toMatchObject({ status: 'unknown', error: 'no answer within 10000 ms' });
  });

  it('a command failed for good stays failed with its reason until a redrive claims it again', async () => {
    const store = make();
    await store.claim(command('c4'), 30_000, t0);
    await store.complete(command('c4').id, { status: 'failed', error: 'gave up after 8 deliveries: HTTP 503' }, at(1));
    expect(await store.get(command('c4').id)).toMatchObject({ status: 'failed', error: 'gave up after 8 deliveries: HTTP 503' });
    expect(await store.claim(command('c4'), 30_000, at(2))).toBe('claimed');
  });

  it('keeps the first claim time and counts every attempt; a completion drops the previous outcome', async () => {
    const store = make();
    await store.claim(command('c5'), 30_000, t0);
    await store.complete(command('c5').id, { status: 'failed', error: 'HTTP 500', externalId: 'x1' }, at(1));
    expect(await store.claim(command('c5'), 30_000, at(10))).toBe('claimed');
    await store.complete(command('c5').id, { status: 'succeeded', mode: 'live' }, at(11));
    const record = await store.get(command('c5').id);
    expect(record).toMatchObject({
      status: 'succeeded',
      mode: 'live',
      attempts: 2,
      createdAt: t0.toISOString(),
      updatedAt: at(11).toISOString(),
    });
    expect(record?.error).toBeUndefined();
    expect(record?.externalId).toBeUndefined();
  });

  it('refuses to complete a command that was never claimed', async () => {
    await expect(make().complete(`${prefix}never-claimed`, { status: 'succeeded' }, t0)).rejects.toThrow();
  });

  it('releases only a claim in progress', async () => {
    const store = make();
    await store.claim(command('c6'), 30_000, t0);
    await store.complete(command('c6').id, { status: 'succeeded', mode: 'live' }, at(1));
    await store.release(command('c6').id, 'late failure', at(2));
    expect(await store.get(command('c6').id)).toMatchObject({ status: 'succeeded' });
    await store.release(`${prefix}never-claimed-either`, 'nothing', at(2));
    expect(await store.get(`${prefix}never-claimed-either`)).toBeUndefined();
  });

  it('lets exactly one of many concurrent claims win', async () => {
    const store = make();
    const results = await Promise.all(Array.from({ length: 12 }, () => store.claim(command('c7'), 30_000, t0)));
    expect(results.filter((result) => result === 'claimed')).toHaveLength(1);
    expect(results.filter((result) => result === 'busy')).toHaveLength(11);
  });

  if (!effects) return;

  const audit = (id: string, overrides: Partial<AuditRecord> = {}): AuditRecord => ({
    id: `${prefix}${id}`,
    at: t0.toISOString(),
    kind: 'action',
    what: 'reply.sent',
    eventId: `${prefix}generic:fx`,
    ruleId: 'faq',
    commandId: `${prefix}${id}`,
    ...overrides,
  });
  const audited = async (id: string) => (await effects.audit(1000)).filter((entry) => entry.id === `${prefix}${id}`);

  it('folds the tags and the audit line into the completion, and applies them once however often it is retried', async () => {
    const store = make();
    const eventId = `${prefix}generic:fx1`;
    await effects.events().putIfAbsent(makeEvent({ id: eventId, tags: ['from-platform'] }));
    await store.claim(command('fx1'), 30_000, t0);
    const fx = { tags: { eventId, tags: ['vip', 'complaint'] }, audit: audit('fx1', { eventId }) };
    await store.complete(command('fx1').id, { status: 'succeeded', mode: 'live' }, at(1), fx);
    await store.complete(command('fx1').id, { status: 'succeeded', mode: 'live' }, at(2), fx);

    expect(await store.get(command('fx1').id)).toMatchObject({ status: 'succeeded', mode: 'live' });
    const tags = (await effects.events().get(eventId))?.event.tags ?? [];
    expect([...tags].sort()).toEqual(['complaint', 'from-platform', 'vip']);
    expect(await audited('fx1')).toEqual([audit('fx1', { eventId })]);
  });

  it('completes with only tags, or only an audit line', async () => {
    const store = make();
    const eventId = `${prefix}generic:fx2`;
    await effects.events().putIfAbsent(makeEvent({ id: eventId }));
    await store.claim(command('fx2'), 30_000, t0);
    await store.complete(command('fx2').id, { status: 'succeeded' }, at(1), { tags: { eventId, tags: ['billing'] } });
    expect((await effects.events().get(eventId))?.event.tags).toEqual(['billing']);

    await store.claim(command('fx3'), 30_000, t0);
    await store.complete(command('fx3').id, { status: 'succeeded' }, at(1), { audit: audit('fx3') });
    expect(await audited('fx3')).toHaveLength(1);
  });

  it('completes when its audit line was recorded before (a retry after the line was written)', async () => {
    const store = make();
    await store.claim(command('fx4'), 30_000, t0);
    await store.complete(command('fx4').id, { status: 'retrying', error: 'lost answer' }, at(1), {
      audit: audit('fx4', { what: 'first' }),
    });
    await store.complete(command('fx4').id, { status: 'succeeded', mode: 'live' }, at(2), { audit: audit('fx4', { what: 'second' }) });
    expect(await store.get(command('fx4').id)).toMatchObject({ status: 'succeeded' });
    expect((await audited('fx4')).map((entry) => entry.what)).toEqual(['first']);
  });

  it('writes nothing of a completion whose tags name an event it does not have', async () => {
    const store = make();
    await store.claim(command('fx5'), 30_000, t0);
    await expect(
      store.complete(command('fx5').id, { status: 'succeeded' }, at(1), {
        tags: { eventId: `${prefix}generic:never-stored`, tags: ['vip'] },
        audit: audit('fx5'),
      }),
    ).rejects.toThrow(/never-stored/);
    expect(await store.get(command('fx5').id)).toMatchObject({ status: 'in-progress' });
    expect(await audited('fx5')).toEqual([]);
  });
}

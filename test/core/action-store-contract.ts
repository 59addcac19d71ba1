import { expect, it } from 'vitest';
import type { ActionCommand } from '../../functions/core/action-command.js';
import type { ActionStore } from '../../functions/core/ports.js';
import { makeEvent } from '../support/events.js';

/**
 * What every ActionStore must do, run against the in-memory store the crisis tests use and the DynamoDB one
 * (dynalite): the same tests, so the two cannot drift. Ids are prefixed so several runs can share a table.
 */
export function actionStoreContract(make: () => ActionStore, prefix: string): void {
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
}

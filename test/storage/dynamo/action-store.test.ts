import { describe, expect, it } from 'vitest';
import type { ActionCommand } from '../../../functions/core/action-command.js';
import { DynamoActionStore } from '../../../functions/storage/dynamo/action-store.js';
import { actionStoreContract } from '../../core/action-store-contract.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
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
});

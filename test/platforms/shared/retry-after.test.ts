import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOn } from '../../../functions/core/act.js';
import { TransientActionError } from '../../../functions/core/errors.js';
import { genericConnector } from '../../../functions/platforms/generic/index.js';
import { MAX_RETRY_AFTER_MS, retryAfterMs } from '../../../functions/platforms/shared/retry-after.js';
import { DynamoActionStore } from '../../../functions/storage/dynamo/action-store.js';
import { commandFor, contextWith, sendOver } from '../../support/connector-harness.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { makeEvent } from '../../support/events.js';
import { startLoopback } from '../../support/loopback.js';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('30', NOW)).toBe(30_000);
    expect(retryAfterMs('Sun, 22 Nov 2026 10:02:00 GMT', NOW)).toBe(120_000);
    expect(retryAfterMs(undefined, NOW)).toBeUndefined();
    expect(retryAfterMs('soon', NOW)).toBeUndefined();
  });

  it('never asks to wait longer than the cap, however far the platform says', () => {
    expect(MAX_RETRY_AFTER_MS).toBe(15 * 60_000);
    expect(retryAfterMs('999999999', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterMs('1e300', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterMs('Fri, 31 Dec 9999 23:59:59 GMT', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterMs('900', NOW)).toBe(MAX_RETRY_AFTER_MS);
  });
});

describe('a hostile Retry-After through the act path', () => {
  const dynamo = useEmbeddedDynamo();
  let api: Awaited<ReturnType<typeof startLoopback>>;
  beforeAll(async () => {
    api = await startLoopback(() => ({ status: 429, headers: { 'retry-after': '31536000' }, body: '{"error":"slow down"}' }));
  });
  afterAll(() => api.close());

  it('retries after the cap, and the reason recorded on the action says the cap applied', async () => {
    const settings = { FOGHORN_GENERIC_REPLY_URL: `${api.url}/reply`, FOGHORN_GENERIC_SECRET: 'secret' };
    const context = contextWith(settings, new Date(NOW));
    const actions = new DynamoActionStore({ client: dynamo.current.client, tableName: dynamo.current.tableName });
    const command = commandFor(makeEvent({ id: 'generic:slow-1' }), 'reply');
    const outcome = await actOn(command, {
      actions,
      clock: { now: () => new Date(NOW) },
      leaseMs: 60_000,
      executors: {
        reply: async (cmd) => {
          const response = await sendOver(genericConnector.buildRequest(cmd, context));
          genericConnector.interpretResponse(response, cmd, context);
          return { status: 'succeeded', mode: 'live' };
        },
      },
    });
    expect(outcome).toMatchObject({ status: 'retry', retryAfterMs: MAX_RETRY_AFTER_MS });
    const reason = (outcome as { reason: string }).reason;
    expect(reason).toBe("callback answered 429 (waiting 900 s: Foghorn waits at most 900 s on a platform's retry hint)");
    expect((await actions.get(command.id))?.error).toBe(reason);
  });

  it('caps a retry hint from the body too (Telegram, Discord), naming the cap', () => {
    const error = new TransientActionError('telegram answered 429', 86_400_000);
    expect(error.retryAfterMs).toBe(MAX_RETRY_AFTER_MS);
    expect(error.message).toMatch(/waits at most 900 s/);
    expect(new TransientActionError('slack answered 429', 30_000).message).toBe('slack answered 429');
  });
});

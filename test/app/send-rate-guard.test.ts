import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySendRateLimiter, type SendRateLimiter, sendRateGuardedExecutor } from '../../functions/app/send-rate-guard.js';
import type { ActionCommand } from '../../functions/core/action-command.js';
import { TransientActionError } from '../../functions/core/errors.js';
import { platformExecutor } from '../../functions/core/executors/platform.js';
import { LiveSender, redactRequest, SandboxSender } from '../../functions/core/outbound/index.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { connectorFor } from '../../functions/platforms/index.js';
import { makeEvent } from '../support/events.js';
import { startLoopback } from '../support/loopback.js';

const SECRET = 'generic-test-secret';

function reply(id: string, params: Record<string, unknown> = {}): ActionCommand {
  return {
    id,
    eventId: 'generic:q-7',
    ruleId: 'faq',
    index: 0,
    type: 'reply',
    params: { text: `answer ${id}`, ...params },
    event: makeEvent({ id: 'generic:q-7', thread: { id: 't-1' } }),
    createdAt: '2026-12-02T10:00:00.000Z',
  };
}

describe('sendRateGuardedExecutor (in front of the generic connector and a loopback platform)', () => {
  let api: Awaited<ReturnType<typeof startLoopback>>;
  beforeAll(async () => {
    api = await startLoopback((request) => {
      const { text } = JSON.parse(request.body) as { text: string };
      if (text.includes('slow')) return { status: 429, headers: { 'retry-after': '12' }, body: '{"error":"slow down"}' };
      return { status: 201, body: '{"id":"reply-1"}' };
    });
  });
  afterAll(async () => {
    await api.close();
  });

  function guarded(limiter: SendRateLimiter = new MemorySendRateLimiter(), errors: unknown[] = []) {
    const clock = { at: Date.parse('2026-12-02T10:00:00Z'), now: () => new Date(clock.at) };
    const inner = platformExecutor({
      connectorFor,
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: SECRET, FOGHORN_GENERIC_REPLY_URL: `${api.url}/replies` }),
      clock,
      forceSandbox: false,
      live: new LiveSender(),
      sandbox: new SandboxSender(),
      redact: (request) => redactRequest(request, [SECRET]),
    });
    const execute = sendRateGuardedExecutor({
      inner,
      limiter,
      rates: { generic: { rateLimit: 1, burstLimit: 2 } },
      clock,
      random: () => 0,
      onLimiterError: (error) => errors.push(error),
    });
    return { execute, clock };
  }

  it('sends a burst, then turns the next command away unsent with the wait until its turn, and sends it then', async () => {
    const { execute, clock } = guarded();
    const before = api.received.length;
    await expect(execute(reply('a'))).resolves.toMatchObject({ status: 'succeeded', mode: 'live' });
    await expect(execute(reply('b'))).resolves.toMatchObject({ status: 'succeeded' });
    const refused = await execute(reply('c')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TransientActionError);
    expect((refused as TransientActionError).retryAfterMs).toBe(1000);
    expect((refused as Error).message).toMatch(/generic: Foghorn sends at most 1 a second \(bursts of 2\) there; not sent/);
    expect(api.received.length - before).toBe(2);

    clock.at += 1000;
    await expect(execute(reply('c'))).resolves.toMatchObject({ status: 'succeeded' });
    expect(api.received.slice(before).map((request) => (JSON.parse(request.body) as { text: string }).text)).toEqual([
      'answer a',
      'answer b',
      'answer c',
    ]);
  });

  it("retries a platform's 429 after its Retry-After, as before, and holds the bucket back until then for every sender", async () => {
    const limiter = new MemorySendRateLimiter();
    const first = guarded(limiter);
    const other = guarded(limiter);
    const before = api.received.length;
    const limited = await first.execute(reply('slow-1')).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(TransientActionError);
    expect((limited as TransientActionError).retryAfterMs).toBe(12_000);

    // Another instance's command is not sent into the platform's pause.
    const held = await other.execute(reply('d')).catch((error: unknown) => error);
    expect(held).toBeInstanceOf(TransientActionError);
    expect((held as TransientActionError).retryAfterMs).toBe(12_000);
    expect(api.received.length - before).toBe(1);

    other.clock.at += 12_000;
    await expect(other.execute(reply('d'))).resolves.toMatchObject({ status: 'succeeded' });
    expect(api.received.length - before).toBe(2);
  });

  it('charges a thread one send per part, so a thread longer than what is left waits whole', async () => {
    const { execute } = guarded();
    await execute(reply('e'));
    const before = api.received.length;
    const thread = await execute(reply('f', { parts: ['one', 'two'] })).catch((error: unknown) => error);
    expect(thread).toBeInstanceOf(TransientActionError);
    expect(api.received.length).toBe(before);
  });

  it('leaves a platform without a rate alone, and sends when the limiter cannot be reached, saying so', async () => {
    const errors: unknown[] = [];
    const broken: SendRateLimiter = {
      take: async () => {
        throw new Error('table unreachable');
      },
      holdUntil: async () => {},
    };
    const { execute } = guarded(broken, errors);
    const before = api.received.length;
    for (const id of ['g', 'h', 'i']) await expect(execute(reply(id))).resolves.toMatchObject({ status: 'succeeded' });
    expect(api.received.length - before).toBe(3);
    expect(errors.map((error) => (error as Error).message)).toEqual(['table unreachable', 'table unreachable', 'table unreachable']);

    const unrated = sendRateGuardedExecutor({
      inner: async () => ({ status: 'succeeded', mode: 'sandbox' }),
      limiter: broken,
      rates: {},
      clock: { now: () => new Date() },
    });
    await expect(unrated(reply('j'))).resolves.toMatchObject({ status: 'succeeded' });
    expect(errors).toHaveLength(3);
  });
});

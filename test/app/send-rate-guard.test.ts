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

  function guarded(
    limiter: SendRateLimiter = new MemorySendRateLimiter(),
    errors: unknown[] = [],
    applies?: (command: ActionCommand) => boolean,
  ) {
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
      onLimiterError: (error) => errors.push(error),
      ...(applies ? { applies } : {}),
    });
    return { execute, clock };
  }

  it('sends a burst, then turns later commands away unsent, each with its turn, and sends each at its turn', async () => {
    const { execute, clock } = guarded();
    const before = api.received.length;
    await expect(execute(reply('a'))).resolves.toMatchObject({ status: 'succeeded', mode: 'live' });
    await expect(execute(reply('b'))).resolves.toMatchObject({ status: 'succeeded' });
    const turns: unknown[] = [];
    for (const id of ['c', 'd']) turns.push(await execute(reply(id)).catch((error: unknown) => error));
    for (const turn of turns) expect(turn).toBeInstanceOf(TransientActionError);
    expect(turns.map((turn) => (turn as TransientActionError).retryAfterMs)).toEqual([1000, 2000]);
    expect((turns[0] as Error).message).toMatch(/generic: Foghorn sends at most 1 a second \(bursts of 2\) there; not sent/);
    expect(api.received.length - before).toBe(2);

    // c's turn: c goes, and a command new at that moment queues behind d instead of taking d's turn.
    clock.at += 1000;
    await expect(execute(reply('c'))).resolves.toMatchObject({ status: 'succeeded' });
    const late = await execute(reply('e')).catch((error: unknown) => error);
    expect((late as TransientActionError).retryAfterMs).toBe(2000);
    clock.at += 1000;
    await expect(execute(reply('d'))).resolves.toMatchObject({ status: 'succeeded' });
    expect(api.received.slice(before).map((request) => (JSON.parse(request.body) as { text: string }).text)).toEqual([
      'answer a',
      'answer b',
      'answer c',
      'answer d',
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

  it('holds back only the commands it applies to (the local runtime: live sends), and sends the others at once', async () => {
    const { execute } = guarded(new MemorySendRateLimiter(), [], (command) => command.id.startsWith('paced'));
    const before = api.received.length;
    for (const id of ['free-1', 'free-2', 'free-3', 'free-4'])
      await expect(execute(reply(id))).resolves.toMatchObject({ status: 'succeeded' });
    await expect(execute(reply('paced-1'))).resolves.toMatchObject({ status: 'succeeded' });
    await expect(execute(reply('paced-2'))).resolves.toMatchObject({ status: 'succeeded' });
    await expect(execute(reply('paced-3'))).rejects.toBeInstanceOf(TransientActionError);
    expect(api.received.length - before).toBe(6);
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

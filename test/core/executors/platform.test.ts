import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionCommand } from '../../../functions/core/action-command.js';
import { PermanentActionError, TransientActionError } from '../../../functions/core/errors.js';
import { platformExecutor } from '../../../functions/core/executors/platform.js';
import { LiveSender, redactRequest, SandboxSender } from '../../../functions/core/outbound/index.js';
import { settingsFrom } from '../../../functions/core/settings.js';
import { signGeneric } from '../../../functions/platforms/generic/verify.js';
import { connectorFor } from '../../../functions/platforms/index.js';
import { makeEvent } from '../../support/events.js';
import { startLoopback } from '../../support/loopback.js';

const SECRET = 'generic-test-secret';

function reply(id: string): ActionCommand {
  return {
    id,
    eventId: 'generic:q-7',
    ruleId: 'faq',
    index: 0,
    type: 'reply',
    params: { text: 'We open at 9', lang: 'en' },
    event: makeEvent({ id: 'generic:q-7', thread: { id: 't-1' } }),
    createdAt: '2026-11-22T10:00:00.000Z',
  };
}

describe('platformExecutor (generic platform)', () => {
  let api: Awaited<ReturnType<typeof startLoopback>>;
  beforeAll(async () => {
    api = await startLoopback((request) => {
      const id = JSON.parse(request.body).id as string;
      if (id === 'rate-limited') return { status: 429, headers: { 'retry-after': '12' }, body: '{"error":"slow down"}' };
      if (id === 'gone') return { status: 410, body: '{"error":"thread deleted"}' };
      return { status: 201, body: '{"id":"reply-99"}' };
    });
  });
  afterAll(async () => {
    await api.close();
  });

  const executor = (settings: Record<string, string>, forceSandbox = false) =>
    platformExecutor({
      connectorFor,
      settings: settingsFrom(settings),
      clock: { now: () => new Date() },
      forceSandbox,
      live: new LiveSender(),
      sandbox: new SandboxSender(),
      redact: (request) => redactRequest(request, [SECRET]),
    });

  it('sends a signed reply live when the callback URL is configured, and records it without the secret', async () => {
    const result = await executor({ FOGHORN_GENERIC_SECRET: SECRET, FOGHORN_GENERIC_REPLY_URL: `${api.url}/replies` })(reply('ok-1'));
    expect(result).toMatchObject({ status: 'succeeded', mode: 'live', externalId: 'reply-99' });
    const sent = api.received.at(-1);
    expect(sent?.url).toBe('/replies');
    expect(sent?.headers['x-foghorn-signature']).toBe(signGeneric(SECRET, sent?.body ?? ''));
    expect(JSON.parse(sent?.body ?? '{}')).toMatchObject({ type: 'reply', inReplyTo: 'q-7', thread: { id: 't-1' }, text: 'We open at 9' });
    expect(JSON.stringify(result.request)).not.toContain(SECRET);
  });

  it('records the request in sandbox mode when the callback URL is not configured, sending nothing', async () => {
    const before = api.received.length;
    const result = await executor({ FOGHORN_GENERIC_SECRET: SECRET })(reply('sandbox-1'));
    expect(result).toMatchObject({ status: 'succeeded', mode: 'sandbox' });
    expect(result.request?.url).toBe('<FOGHORN_GENERIC_REPLY_URL>');
    expect(api.received.length).toBe(before);
  });

  it('sandboxes everything when forced, even with credentials', async () => {
    const result = await executor(
      { FOGHORN_GENERIC_SECRET: SECRET, FOGHORN_GENERIC_REPLY_URL: `${api.url}/replies` },
      true,
    )(reply('forced'));
    expect(result.mode).toBe('sandbox');
  });

  it('turns a 429 into a retry after the given time and a 4xx into a permanent failure with the answer', async () => {
    const live = executor({ FOGHORN_GENERIC_SECRET: SECRET, FOGHORN_GENERIC_REPLY_URL: `${api.url}/replies` });
    const limited = await live(reply('rate-limited')).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(TransientActionError);
    expect((limited as TransientActionError).retryAfterMs).toBe(12_000);
    const gone = await live(reply('gone')).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(PermanentActionError);
    expect((gone as Error).message).toContain('thread deleted');
  });

  it('refuses a platform that cannot do the action', async () => {
    const command = { ...reply('x'), type: 'dance' };
    await expect(executor({})(command)).rejects.toThrow("platform 'generic' cannot dance");
  });
});

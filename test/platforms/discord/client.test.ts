import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActionCommand, actionCommandId } from '../../../functions/core/action-command.js';
import { PermanentActionError, TransientActionError } from '../../../functions/core/errors.js';
import type { CanonicalEvent } from '../../../functions/core/event.js';
import { discordConnector } from '../../../functions/platforms/discord/index.js';
import { type FakePlatformApi, sendOutbound, startFakePlatformApi } from '../../support/fake-platform-api.js';
import { context, discordDelivery, fixture, NOW } from './request.js';

function eventFrom(name: string): CanonicalEvent {
  const [event] = discordConnector.normalise(discordDelivery(fixture(name)), context()).events;
  if (!event) throw new Error(`fixture ${name} gave no event`);
  return event;
}

function command(event: CanonicalEvent, type: string, params: Record<string, unknown>): ActionCommand {
  return {
    id: actionCommandId(event.id, 'faq', 0),
    eventId: event.id,
    ruleId: 'faq',
    index: 0,
    type,
    params,
    event,
    createdAt: NOW.toISOString(),
  };
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('discord outbound', () => {
  let api: FakePlatformApi;
  beforeAll(async () => {
    api = await startFakePlatformApi();
  });
  afterAll(async () => {
    await api.close();
  });
  const live = (now = NOW) => context({ FOGHORN_DISCORD_BOT_TOKEN: 'bot-token-test', FOGHORN_DISCORD_API_URL: `${api.url}/api/v10` }, now);

  it('answers a slash command with a follow-up on the interaction webhook, without the bot token', async () => {
    api.answer(() => ({
      status: 200,
      body: { id: '1180234567890199999', channel_id: '1167000000000000100', content: 'Use the reset link.' },
    }));
    const cmd = command(eventFrom('slash-command.json'), 'reply', { text: 'Use the reset link.' });
    const response = await sendOutbound(discordConnector.buildRequest(cmd, live()));
    const received = api.received.at(-1);
    expect(received?.method).toBe('POST');
    expect(received?.url).toBe('/api/v10/webhooks/1167890123456789012/aW50ZXJhY3Rpb246MTE4MDIzNDU2Nzg5MDEyMzQ1Njp0ZXN0dG9rZW4');
    expect(received?.headers.authorization).toBeUndefined();
    expect(JSON.parse(received?.body ?? '{}')).toEqual({ content: 'Use the reset link.', allowed_mentions: { parse: [] } });
    expect(discordConnector.interpretResponse(response, cmd, live())).toEqual({ externalId: '1180234567890199999' });
  });

  it('replies with a channel message referencing the clicked message once the interaction token has expired', async () => {
    api.answer(() => ({ status: 200, body: { id: '1180234567890188888' } }));
    const event = eventFrom('button-click.json');
    const later = new Date(Date.parse(event.createdAt) + 20 * 60 * 1000);
    const cmd = command(event, 'reply', { text: 'A person will call you.' });
    await sendOutbound(discordConnector.buildRequest(cmd, live(later)));
    const received = api.received.at(-1);
    expect(received?.url).toBe('/api/v10/channels/1167000000000000100/messages');
    expect(received?.headers.authorization).toBe('Bot bot-token-test');
    expect(JSON.parse(received?.body ?? '{}')).toMatchObject({
      content: 'A person will call you.',
      message_reference: { message_id: '1180234567890124444', channel_id: '1167000000000000100', fail_if_not_exists: false },
      nonce: cmd.id.slice(4, 29),
      enforce_nonce: true,
    });
  });

  it('posts to params.channel or the default channel, and says what is missing otherwise', () => {
    const event = eventFrom('slash-command.json');
    expect(discordConnector.buildRequest(command(event, 'post', { text: 'Maintenance at 22:00', channel: '999' }), live()).url).toBe(
      `${api.url}/api/v10/channels/999/messages`,
    );
    expect(
      discordConnector.buildRequest(command(event, 'post', { text: 'x' }), context({ FOGHORN_DISCORD_DEFAULT_CHANNEL: '555' })).url,
    ).toBe('https://discord.com/api/v10/channels/555/messages');
    expect(() => discordConnector.buildRequest(command(event, 'post', { text: 'x' }), context())).toThrow(
      /FOGHORN_DISCORD_DEFAULT_CHANNEL/,
    );
  });

  it('carries a placeholder instead of the bot token when none is configured (sandbox)', () => {
    const request = discordConnector.buildRequest(command(eventFrom('slash-command.json'), 'post', { text: 'x', channel: '1' }), context());
    expect(request.headers.authorization).toBe('Bot <FOGHORN_DISCORD_BOT_TOKEN>');
  });

  it('reads retry_after (seconds, fractional) from a 429 body', async () => {
    api.answer(() => ({
      status: 429,
      headers: { 'retry-after': '2' },
      body: { message: 'You are being rate limited.', retry_after: 1.337, global: false },
    }));
    const cmd = command(eventFrom('slash-command.json'), 'reply', { text: 'x' });
    const response = await sendOutbound(discordConnector.buildRequest(cmd, live()));
    const error = thrown(() => discordConnector.interpretResponse(response, cmd, live()));
    expect(error).toBeInstanceOf(TransientActionError);
    expect((error as TransientActionError).retryAfterMs).toBe(1337);
  });

  it("turns 404 Unknown Message into a permanent error with Discord's text", async () => {
    api.answer(() => ({ status: 404, body: { message: 'Unknown Message', code: 10008 } }));
    const cmd = command(eventFrom('button-click.json'), 'reply', { text: 'x' });
    const response = await sendOutbound(discordConnector.buildRequest(cmd, live(new Date('2023-12-01T21:00:00Z'))));
    const error = thrown(() => discordConnector.interpretResponse(response, cmd, live()));
    expect(error).toBeInstanceOf(PermanentActionError);
    expect((error as Error).message).toBe('discord: Unknown Message (code 10008)');
    const unauthorized = { status: 401, headers: {}, body: JSON.stringify({ message: '401: Unauthorized', code: 0 }) };
    expect(thrown(() => discordConnector.interpretResponse(unauthorized, cmd, live()))).toBeInstanceOf(PermanentActionError);
  });
});

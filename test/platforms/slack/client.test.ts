import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActionCommand, actionCommandId } from '../../../functions/core/action-command.js';
import { PermanentActionError, TransientActionError } from '../../../functions/core/errors.js';
import type { CanonicalEvent } from '../../../functions/core/event.js';
import { slackConnector } from '../../../functions/platforms/slack/index.js';
import { type FakePlatformApi, sendOutbound, startFakePlatformApi } from '../../support/fake-platform-api.js';
import { context, fixture, slackDelivery } from './request.js';

function eventFrom(name: string): CanonicalEvent {
  const [event] = slackConnector.normalise(slackDelivery(fixture(name)), context()).events;
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
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('slack outbound', () => {
  let api: FakePlatformApi;
  beforeAll(async () => {
    api = await startFakePlatformApi();
  });
  afterAll(async () => {
    await api.close();
  });
  const live = () => context({ FOGHORN_SLACK_BOT_TOKEN: 'xoxb-test-token', FOGHORN_SLACK_API_URL: `${api.url}/api` });

  it('replies in the thread of the mention with chat.postMessage and reads the new ts', async () => {
    api.answer(() => ({ status: 200, body: { ok: true, channel: 'C123ABC456', ts: '1515449600.000200', message: { text: 'hi' } } }));
    const cmd = command(eventFrom('app-mention.json'), 'reply', { text: 'The hour of the pearl is noon.' });
    const request = slackConnector.buildRequest(cmd, live());
    const response = await sendOutbound(request);

    const received = api.received.at(-1);
    expect(received?.method).toBe('POST');
    expect(received?.url).toBe('/api/chat.postMessage');
    expect(received?.headers.authorization).toBe('Bearer xoxb-test-token');
    expect(received?.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = JSON.parse(received?.body ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({ channel: 'C123ABC456', thread_ts: '1515449522.000016', text: 'The hour of the pearl is noon.' });
    expect(body.metadata).toEqual({ event_type: 'foghorn_action', event_payload: { command_id: cmd.id } });
    expect(slackConnector.interpretResponse(response, cmd, live())).toEqual({ externalId: '1515449600.000200' });
  });

  it('replies to a thread reply in the same thread (the root ts), and to a DM inline', () => {
    const inThread = slackConnector.buildRequest(command(eventFrom('message-thread-reply.json'), 'reply', { text: 'ok' }), live());
    expect(JSON.parse(inThread.body ?? '{}')).toMatchObject({ channel: 'C2147483705', thread_ts: '1700000000.000100' });
    const dm = JSON.parse(
      slackConnector.buildRequest(command(eventFrom('message-im.json'), 'reply', { text: 'ok' }), live()).body ?? '{}',
    ) as Record<string, unknown>;
    expect(dm.channel).toBe('D024BE91L');
    expect(dm).not.toHaveProperty('thread_ts');
  });

  it('posts to params.channel, else the configured default, never in a thread', () => {
    const event = eventFrom('app-mention.json');
    const toParam = JSON.parse(
      slackConnector.buildRequest(command(event, 'post', { text: 'Incident update', channel: 'C0OPS' }), live()).body ?? '{}',
    ) as Record<string, unknown>;
    expect(toParam.channel).toBe('C0OPS');
    expect(toParam).not.toHaveProperty('thread_ts');
    const withDefault = context({ FOGHORN_SLACK_DEFAULT_CHANNEL: 'C0DEFAULT' });
    expect(JSON.parse(slackConnector.buildRequest(command(event, 'post', { text: 'x' }), withDefault).body ?? '{}')).toMatchObject({
      channel: 'C0DEFAULT',
    });
    expect(() => slackConnector.buildRequest(command(event, 'post', { text: 'x' }), context())).toThrow(/FOGHORN_SLACK_DEFAULT_CHANNEL/);
  });

  it('carries a visible placeholder instead of the token when none is configured (sandbox)', () => {
    const request = slackConnector.buildRequest(command(eventFrom('app-mention.json'), 'reply', { text: 'x' }), context());
    expect(request.url).toBe('https://slack.com/api/chat.postMessage');
    expect(request.headers.authorization).toBe('Bearer <FOGHORN_SLACK_BOT_TOKEN>');
  });

  it('turns HTTP 429 with Retry-After into a transient error that waits that long', async () => {
    api.answer(() => ({ status: 429, headers: { 'retry-after': '30' }, body: { ok: false, error: 'ratelimited' } }));
    const cmd = command(eventFrom('app-mention.json'), 'reply', { text: 'x' });
    const response = await sendOutbound(slackConnector.buildRequest(cmd, live()));
    const error = catchError(() => slackConnector.interpretResponse(response, cmd, live()));
    expect(error).toBeInstanceOf(TransientActionError);
    expect((error as TransientActionError).retryAfterMs).toBe(30_000);
  });

  it("turns ok:false channel_not_found into a permanent error with Slack's own error code", async () => {
    api.answer(() => ({ status: 200, body: { ok: false, error: 'channel_not_found' } }));
    const cmd = command(eventFrom('app-mention.json'), 'reply', { text: 'x' });
    const response = await sendOutbound(slackConnector.buildRequest(cmd, live()));
    const error = catchError(() => slackConnector.interpretResponse(response, cmd, live()));
    expect(error).toBeInstanceOf(PermanentActionError);
    expect((error as Error).message).toBe('slack: channel_not_found');
  });

  it('treats invalid_auth as permanent and internal_error as transient', () => {
    const cmd = command(eventFrom('app-mention.json'), 'reply', { text: 'x' });
    const answer = (error: string) => ({ status: 200, headers: {}, body: JSON.stringify({ ok: false, error }) });
    expect(catchError(() => slackConnector.interpretResponse(answer('invalid_auth'), cmd, live()))).toBeInstanceOf(PermanentActionError);
    expect(catchError(() => slackConnector.interpretResponse(answer('internal_error'), cmd, live()))).toBeInstanceOf(TransientActionError);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ActionCommand, actionCommandId } from '../../../functions/core/action-command.js';
import { FoghornError, PermanentActionError, TransientActionError } from '../../../functions/core/errors.js';
import type { CanonicalEvent } from '../../../functions/core/event.js';
import { platformExecutor } from '../../../functions/core/executors/platform.js';
import { LiveSender, redactRequest, SandboxSender } from '../../../functions/core/outbound/index.js';
import { settingsFrom } from '../../../functions/core/settings.js';
import { redditConnector } from '../../../functions/platforms/reddit/index.js';
import { redditThingToEvent } from '../../../functions/platforms/reddit/normalise.js';
import { type FakePlatformApi, sendOutbound, startFakePlatformApi } from '../../support/fake-platform-api.js';
import { fixtureJson, NOW, redditApi, redditSettings } from './support.js';

const inbox = fixtureJson<{ data: { children: unknown[] } }>('inbox.json').data.children;
const commentReply = redditThingToEvent(inbox[1]!, 'inbox', 'foghorn_support', NOW);

function command(event: CanonicalEvent, params: Record<string, unknown> = { text: 'Yes, Android 10 and later.' }): ActionCommand {
  return {
    id: actionCommandId(event.id, 'faq', 0),
    eventId: event.id,
    ruleId: 'faq',
    index: 0,
    type: 'reply',
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

describe('reddit outbound', () => {
  let api: FakePlatformApi;
  beforeAll(async () => {
    api = await startFakePlatformApi();
  });
  afterAll(async () => {
    await api.close();
  });
  beforeEach(() => {
    api.received.length = 0;
  });

  it('replies through /api/comment with thing_id, after trading the refresh token for an access token (live, via the act executor)', async () => {
    api.answer(redditApi({}));
    const settings = redditSettings(api.url);
    const execute = platformExecutor({
      connectorFor: () => redditConnector,
      settings,
      live: new LiveSender(),
      sandbox: new SandboxSender(),
      redact: (request) => redactRequest(request, ['gko_LXELoV07ZBNUXrvWZfzE3aI', '1234567890-refresh-token-test']),
      forceSandbox: false,
      clock: { now: () => NOW },
    });
    const result = await execute(command(commentReply));

    expect(api.received.map((request) => `${request.method} ${request.url}`)).toEqual([
      'POST /www/api/v1/access_token',
      'POST /oauth/api/comment',
    ]);
    const comment = api.received[1];
    expect(comment?.headers.authorization).toMatch(/^bearer eyJ/);
    expect(comment?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(comment?.body))).toEqual({
      api_type: 'json',
      thing_id: 't1_kq3x9z1',
      text: 'Yes, Android 10 and later.',
    });
    expect(result).toMatchObject({ status: 'succeeded', mode: 'live', externalId: 't1_kq5n777' });
    expect(JSON.stringify(result)).not.toContain('eyJhbGciOiJSUzI1NiIsImtpZCI6');
  });

  it('answers a private message by its t4 fullname', () => {
    const dm = redditThingToEvent(inbox[0]!, 'inbox', 'foghorn_support', NOW);
    const request = redditConnector.buildRequest(command(dm), { settings: redditSettings(api.url), now: NOW });
    expect(new URLSearchParams(request.body).get('thing_id')).toBe('t4_2a7bxk9');
  });

  it('shows where the access token goes when nothing is configured (sandbox)', () => {
    const request = redditConnector.buildRequest(command(commentReply), { settings: settingsFrom({}), now: NOW });
    expect(request.url).toBe('https://oauth.reddit.com/api/comment');
    expect(request.headers.authorization).toBe('bearer <FOGHORN_REDDIT_ACCESS_TOKEN>');
  });

  it('turns RATELIMIT into a transient error that waits as long as Reddit says', async () => {
    api.answer(redditApi({}, { status: 200, body: fixtureJson('comment-ratelimit.json') }));
    const response = await sendOutbound(
      redditConnector.buildRequest(command(commentReply), { settings: redditSettings(api.url), now: NOW }),
    );
    const error = thrown(() =>
      redditConnector.interpretResponse(response, command(commentReply), { settings: redditSettings(api.url), now: NOW }),
    );
    expect(error).toBeInstanceOf(TransientActionError);
    expect((error as TransientActionError).retryAfterMs).toBe(431_284);
  });

  it('turns HTTP 429 into a transient error using X-Ratelimit-Reset', async () => {
    api.answer(redditApi({}, { status: 429, headers: { 'x-ratelimit-reset': '17' }, body: { message: 'Too Many Requests', error: 429 } }));
    const response = await sendOutbound(
      redditConnector.buildRequest(command(commentReply), { settings: redditSettings(api.url), now: NOW }),
    );
    const error = thrown(() =>
      redditConnector.interpretResponse(response, command(commentReply), { settings: redditSettings(api.url), now: NOW }),
    );
    expect((error as TransientActionError).retryAfterMs).toBe(17_000);
  });

  it("makes a deleted parent and a 403 permanent, with Reddit's own text", async () => {
    api.answer(redditApi({}, { status: 200, body: fixtureJson('comment-deleted.json') }));
    const context = { settings: redditSettings(api.url), now: NOW };
    const response = await sendOutbound(redditConnector.buildRequest(command(commentReply), context));
    const error = thrown(() => redditConnector.interpretResponse(response, command(commentReply), context));
    expect(error).toBeInstanceOf(PermanentActionError);
    expect((error as Error).message).toBe('reddit: DELETED_COMMENT: that comment has been deleted');
    const forbidden = { status: 403, headers: {}, body: '{"message": "Forbidden", "error": 403}' };
    expect(thrown(() => redditConnector.interpretResponse(forbidden, command(commentReply), context))).toBeInstanceOf(PermanentActionError);
  });

  it('refuses webhooks: Reddit has no push', () => {
    const request = { method: 'POST', platform: 'reddit', headers: {}, query: {}, rawBody: Buffer.from('{}'), receivedAt: NOW };
    const error = thrown(() => redditConnector.verify(request, { settings: settingsFrom({}), now: NOW }));
    expect(error).toBeInstanceOf(FoghornError);
    expect((error as FoghornError).status).toBe(404);
    expect((error as Error).message).toMatch(/no webhooks.*polls/);
    expect(() => redditConnector.handshake?.(request, { settings: settingsFrom({}), now: NOW })).toThrow(/no webhooks/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionCommand } from '../../../functions/core/action-command.js';
import { PermanentActionError, TransientActionError } from '../../../functions/core/errors.js';
import { settingsFrom } from '../../../functions/core/settings.js';
import { postToEvent } from '../../../functions/listening/bluesky-search/normalise.js';
import { blueskyConnector } from '../../../functions/platforms/bluesky/index.js';
import { sharedBlueskySessions } from '../../../functions/platforms/bluesky/session.js';
import { connectorFor } from '../../../functions/platforms/index.js';
import { fixtureText, sourceConfig } from '../../listening/support.js';
import { type FakePlatformApi, sendOutbound, startFakePlatformApi } from '../../support/fake-platform-api.js';

const SESSION = fixtureText('bluesky-search', 'create-session.json');
const CREATED = fixtureText('bluesky-search', 'create-record.json');
const SEARCH = JSON.parse(fixtureText('bluesky-search', 'search-posts.json')) as { posts: unknown[] };
const NOW = new Date('2024-11-05T19:30:00Z');
const config = sourceConfig({ id: 'bsky-brand', type: 'bluesky-search', query: 'acme bank', every: '2m' });

function replyTo(post: unknown): ActionCommand {
  const event = postToEvent(post, config, [], NOW);
  return {
    id: 'act_bluesky_reply',
    eventId: event.id,
    ruleId: 'answer-outage',
    index: 0,
    type: 'reply',
    params: { text: 'Sorry about that: sign-in is back. DM us if it still fails.' },
    event,
    createdAt: '2024-11-05T19:31:00.000Z',
  };
}

describe('bluesky connector (replies through com.atproto.repo.createRecord)', () => {
  let api: FakePlatformApi;
  beforeAll(async () => {
    api = await startFakePlatformApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('is registered, refuses webhooks, and replies only', () => {
    expect(connectorFor('bluesky')).toBe(blueskyConnector);
    expect(blueskyConnector.actionTypes).toEqual(['reply']);
    expect(() => blueskyConnector.verify({} as never, { settings: settingsFrom({}), now: NOW })).toThrow(/no webhooks/);
  });

  it('answers a reply in its thread: root is the thread root, parent the post answered', () => {
    const request = blueskyConnector.buildRequest(replyTo(SEARCH.posts[0]), { settings: settingsFrom({}), now: NOW });
    expect(request).toMatchObject({
      method: 'POST',
      url: 'https://bsky.social/xrpc/com.atproto.repo.createRecord',
      headers: { authorization: 'Bearer <FOGHORN_BLUESKY_ACCESS_JWT>', 'content-type': 'application/json' },
    });
    expect(JSON.parse(request.body ?? '{}')).toEqual({
      repo: '<FOGHORN_BLUESKY_HANDLE>',
      collection: 'app.bsky.feed.post',
      record: {
        $type: 'app.bsky.feed.post',
        text: 'Sorry about that: sign-in is back. DM us if it still fails.',
        createdAt: '2024-11-05T19:31:00.000Z',
        reply: {
          root: {
            uri: 'at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3l7wp3fjbx22h',
            cid: 'bafyreidg2p5vv2jaydwwjnujt5ubuvzpyfg3yyl5yfi55f5tkmmeijvd4a',
          },
          parent: {
            uri: 'at://did:plc:u5cwb2mwiv2bfq53cjufe6yn/app.bsky.feed.post/3l7wqmkqjc22c',
            cid: 'bafyreig2fjxi3rptqdgylg7e5hmjl6mcke7rn2b6cugzlqq3i4zu6rq52q',
          },
        },
      },
    });
  });

  it('makes a top-level post its own root', () => {
    const request = blueskyConnector.buildRequest(replyTo(SEARCH.posts[1]), { settings: settingsFrom({}), now: NOW });
    const { reply } = (JSON.parse(request.body ?? '{}') as { record: { reply: { root: unknown; parent: unknown } } }).record;
    expect(reply.root).toEqual(reply.parent);
  });

  it('signs in live, sends as the session DID, and reads the new post uri', async () => {
    api.answer((request) =>
      request.url.endsWith('createSession')
        ? { status: 200, body: JSON.parse(SESSION) as unknown }
        : { status: 200, body: JSON.parse(CREATED) as unknown },
    );
    sharedBlueskySessions.clear();
    const settings = settingsFrom({
      FOGHORN_BLUESKY_HANDLE: 'acmebank.bsky.social',
      FOGHORN_BLUESKY_APP_PASSWORD: 'abcd-efgh-ijkl-mnop',
      FOGHORN_BLUESKY_BASE_URL: api.url,
    });
    const authorized = await blueskyConnector.authorize?.({ settings, now: NOW, send: sendOutbound });
    if (!authorized) throw new Error('no authorize');
    const command = replyTo(SEARCH.posts[0]);
    const request = blueskyConnector.buildRequest(command, { settings: authorized, now: NOW });
    expect(JSON.parse(request.body ?? '{}').repo).toBe('did:plc:acmebank2026support');
    const response = await sendOutbound(request);
    expect(blueskyConnector.interpretResponse(response, command, { settings: authorized, now: NOW })).toEqual({
      externalId: 'at://did:plc:acmebank2026support/app.bsky.feed.post/3l7wr2q5kfk2y',
    });
    sharedBlueskySessions.clear();
  });

  it('waits on 429 until ratelimit-reset, retries an expired token, and refuses a bad record for good', () => {
    const command = replyTo(SEARCH.posts[0]);
    const context = { settings: settingsFrom({}), now: NOW };
    const reset = String(Math.floor(NOW.getTime() / 1000) + 60);
    expect(() =>
      blueskyConnector.interpretResponse(
        { status: 429, headers: { 'ratelimit-reset': reset }, body: '{"error":"RateLimitExceeded"}' },
        command,
        context,
      ),
    ).toThrow(expect.objectContaining({ retryAfterMs: 60_000 }) as Error);
    expect(() =>
      blueskyConnector.interpretResponse(
        { status: 400, headers: {}, body: '{"error":"ExpiredToken","message":"Token has expired"}' },
        command,
        context,
      ),
    ).toThrow(TransientActionError);
    expect(() =>
      blueskyConnector.interpretResponse(
        { status: 400, headers: {}, body: '{"error":"InvalidRequest","message":"Record/text must not be longer than 300 graphemes"}' },
        command,
        context,
      ),
    ).toThrow(PermanentActionError);
  });

  it('needs the post reference to reply', () => {
    const command = replyTo(SEARCH.posts[0]);
    expect(() =>
      blueskyConnector.buildRequest({ ...command, event: { ...command.event, meta: {} } }, { settings: settingsFrom({}), now: NOW }),
    ).toThrow(/meta.uri, meta.cid/);
  });
});

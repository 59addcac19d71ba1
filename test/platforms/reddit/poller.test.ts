import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PermanentActionError } from '../../../functions/core/errors.js';
import { RedditTokenCache } from '../../../functions/platforms/reddit/oauth.js';
import { createRedditPoller, RedditPollError } from '../../../functions/platforms/reddit/poller.js';
import { type FakePlatformApi, sendOutbound, startFakePlatformApi } from '../../support/fake-platform-api.js';
import { fixtureJson, NOW, redditApi, redditSettings } from './support.js';

interface ListingJson {
  kind: string;
  data: { after: string | null; children: { kind: string; data: Record<string, unknown> }[] };
}

const listings = () => ({ '/oauth/message/inbox': fixtureJson('inbox.json'), '/oauth/message/mentions': fixtureJson('mentions.json') });

describe('reddit poller', () => {
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
  const context = (now = NOW) => ({ settings: redditSettings(api.url), now, send: sendOutbound });

  it('refreshes the token, reads inbox and mentions, and on a first poll takes only unread items', async () => {
    api.answer(redditApi(listings()));
    const poller = createRedditPoller(new RedditTokenCache());
    const result = await poller.poll(undefined, context());

    const [token, inbox, mentions] = api.received;
    expect(token?.method).toBe('POST');
    expect(token?.url).toBe('/www/api/v1/access_token');
    expect(token?.headers.authorization).toBe(`Basic ${Buffer.from('p-jcoLKBynTLew:gko_LXELoV07ZBNUXrvWZfzE3aI').toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(token?.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: '1234567890-refresh-token-test',
    });
    expect(inbox?.method).toBe('GET');
    expect(inbox?.url).toBe('/oauth/message/inbox?limit=100&raw_json=1&mark=false');
    expect(inbox?.headers.authorization).toMatch(/^bearer eyJ/);
    expect(inbox?.headers['user-agent']).toBe('server:foghorn:0.1.0 (by /u/foghorn_support)');
    expect(mentions?.url).toBe('/oauth/message/mentions?limit=100&raw_json=1&mark=false');

    // The read post reply (t1_kq2aaaa) is history, not backlog; everything else is unread. Oldest first.
    expect(result.events.map((event) => [event.id, event.kind, event.author.isSelf])).toEqual([
      ['reddit:t1_kq3x9z1', 'reply', false],
      ['reddit:t4_2a7bxk9', 'dm', false],
      ['reddit:t1_kq4m000', 'mention', true],
      ['reddit:t1_kq4m001', 'mention', false],
    ]);
    expect(JSON.parse(result.cursor ?? '')).toEqual({
      inbox: { name: 't4_2a7bxk9', created: 1700000300 },
      mentions: { name: 't1_kq4m001', created: 1700000400 },
    });
    expect(JSON.parse(result.raw?.get('reddit:t4_2a7bxk9')?.toString() ?? '{}')).toMatchObject({
      kind: 't4',
      data: { name: 't4_2a7bxk9' },
    });
  });

  it('takes everything newer than the cursor, read or not, and reuses the access token', async () => {
    const tokens = new RedditTokenCache();
    const poller = createRedditPoller(tokens);
    api.answer(redditApi(listings()));
    const first = await poller.poll(undefined, context());

    const inbox = fixtureJson<ListingJson>('inbox.json');
    const newer = {
      kind: 't1',
      data: {
        ...inbox.data.children[1]!.data,
        id: 'kq6zzzz',
        name: 't1_kq6zzzz',
        new: false,
        body: 'Thanks, it works',
        created_utc: 1700000900,
      },
    };
    inbox.data.children = [newer, ...inbox.data.children];
    api.answer(redditApi({ '/oauth/message/inbox': inbox, '/oauth/message/mentions': fixtureJson('mentions.json') }));
    api.received.length = 0;
    const second = await poller.poll(first.cursor, context(new Date(NOW.getTime() + 60_000)));

    expect(second.events.map((event) => event.id)).toEqual(['reddit:t1_kq6zzzz']);
    expect(JSON.parse(second.cursor ?? '')).toMatchObject({ inbox: { name: 't1_kq6zzzz', created: 1700000900 } });
    expect(api.received.map((request) => request.url.split('?')[0])).toEqual(['/oauth/message/inbox', '/oauth/message/mentions']);
  });

  it('sets aside an item it cannot read (to be quarantined) and still moves on past it', async () => {
    const inbox = fixtureJson<ListingJson>('inbox.json');
    const unreadable = { kind: 't1', data: { name: 't1_broken', new: true, created_utc: 'yesterday', body: 42 } };
    inbox.data.children = [unreadable, ...inbox.data.children];
    api.answer(redditApi({ '/oauth/message/inbox': inbox, '/oauth/message/mentions': fixtureJson('mentions.json') }));
    const result = await createRedditPoller(new RedditTokenCache()).poll(undefined, context());
    expect(result.events.map((event) => event.id)).toContain('reddit:t4_2a7bxk9');
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected?.[0]?.reason).toMatch(/t1_broken without `created_utc`/);
    expect(JSON.parse(result.rejected?.[0]?.raw.toString() ?? '{}')).toEqual(unreadable);
  });

  it('keeps the previous cursor when a listing is empty', async () => {
    api.answer(
      redditApi({
        '/oauth/message/inbox': { kind: 'Listing', data: { after: null, children: [] } },
        '/oauth/message/mentions': { kind: 'Listing', data: { after: null, children: [] } },
      }),
    );
    const cursor = JSON.stringify({ inbox: { name: 't1_a', created: 1 }, mentions: { name: 't1_b', created: 2 } });
    const result = await createRedditPoller(new RedditTokenCache()).poll(cursor, context());
    expect(result.events).toEqual([]);
    expect(JSON.parse(result.cursor ?? '')).toEqual(JSON.parse(cursor));
  });

  it('reports a rate limit with the X-Ratelimit-Reset wait', async () => {
    api.answer((request) =>
      request.url.startsWith('/oauth/message/')
        ? {
            status: 429,
            headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '100', 'x-ratelimit-reset': '42' },
            body: { message: 'Too Many Requests', error: 429 },
          }
        : redditApi(listings())(request),
    );
    const error = await createRedditPoller(new RedditTokenCache())
      .poll(undefined, context())
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedditPollError);
    expect((error as RedditPollError).retryAfterMs).toBe(42_000);
  });

  it('says plainly when Reddit refuses the refresh token', async () => {
    api.answer(() => ({ status: 400, body: { error: 'invalid_grant' } }));
    const error = await createRedditPoller(new RedditTokenCache())
      .poll(undefined, context())
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermanentActionError);
    expect((error as Error).message).toBe('reddit refused the refresh token: invalid_grant');
  });
});

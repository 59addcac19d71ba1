import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAnswer, type FakePlatformApi, startFakePlatformApi } from '../support/fake-platform-api.js';
import type { ReceivedRequest } from '../support/loopback.js';
import { getJson, recordedActions, useRuntimeProcess, waitFor } from '../support/runtime-process.js';
import { fixtureText } from './support.js';

const RSS = fixtureText('feed', 'sample-rss-2.xml');
const SESSION = JSON.parse(fixtureText('bluesky-search', 'create-session.json')) as unknown;
const SEARCH = JSON.parse(fixtureText('bluesky-search', 'search-posts.json')) as unknown;
const X_SEARCH = JSON.parse(fixtureText('x-search', 'search-recent.json')) as unknown;
const REDDIT_SEARCH = JSON.parse(fixtureText('reddit-search', 'search-personalfinance.json')) as unknown;
const MASTODON_TAG = JSON.parse(fixtureText('mastodon', 'tag-timeline.json')) as unknown;
const YOUTUBE_THREADS = JSON.parse(fixtureText('youtube-comments', 'comment-threads.json')) as unknown;
const REDDIT_TOKEN = JSON.parse(
  readFileSync(join(import.meta.dirname, '../platforms/reddit/fixtures/access-token.json'), 'utf8'),
) as unknown;

const FEED_RULE = `
id: feed-star-city
description: A news item about Star City goes to the comms desk with its link
when:
  all:
    - { fact: platform, operator: equal, value: feed }
    - { fact: text, operator: containsAny, value: ["star city"] }
then:
  - escalate:
      target: comms
      severity: medium
      summary: "In the news: {{text}}"
`;

const BLUESKY_RULE = `
id: bsky-logout
description: Answer people on Bluesky who are logged out of the app
when:
  all:
    - { fact: platform, operator: equal, value: bluesky }
    - { fact: text, operator: containsAny, value: ["logging me out"] }
then:
  - reply:
      text:
        default: "Sorry about that. Sign-in is fixed now; please update the app."
`;

/** The feed host and the Bluesky PDS on one loopback server, each path answering its documented sample. */
function platforms(request: ReceivedRequest): FakeAnswer {
  if (request.url === '/news.rss' || request.url === '/mirror.rss')
    return { status: 200, headers: { 'content-type': 'application/rss+xml', etag: '"liftoff"' }, body: RSS };
  if (request.url === '/gone.rss') return { status: 410, body: 'gone' };
  if (request.url === '/xrpc/com.atproto.server.createSession') return { status: 200, body: SESSION };
  if (request.url.startsWith('/xrpc/app.bsky.feed.searchPosts')) return { status: 200, body: SEARCH };
  if (request.url.startsWith('/2/tweets/search/recent')) return { status: 200, body: X_SEARCH };
  if (request.url === '/www/api/v1/access_token') return { status: 200, body: REDDIT_TOKEN };
  if (request.url.startsWith('/oauth/r/personalfinance/search')) return { status: 200, body: REDDIT_SEARCH };
  if (request.url.startsWith('/api/v1/timelines/tag/acmebank')) return { status: 200, body: MASTODON_TAG };
  if (request.url.startsWith('/youtube/v3/commentThreads')) return { status: 200, body: YOUTUBE_THREADS };
  return { status: 404, body: 'not found' };
}

describe('listening through the local runtime (npm start)', () => {
  // Not useFakePlatformApi: the sources are read at start, before a test could look, so nothing is cleared.
  let api: FakePlatformApi;
  beforeAll(async () => {
    api = await startFakePlatformApi();
    api.answer(platforms);
  });
  afterAll(async () => {
    await api?.close();
  });
  const runtime = useRuntimeProcess(() => ({
    rules: { 'feed.yaml': FEED_RULE, 'bluesky.yaml': BLUESKY_RULE },
    // The samples are from 2003 and 2024: the first backfill reaches back to them.
    config: `timezone: UTC
targets:
  comms: { type: slack-webhook, url: FOGHORN_SLACK_COMMS_WEBHOOK }
  oncall: { description: "On-call engineer" }
listen:
  - { id: liftoff, type: feed, urls: ["${api.url}/news.rss"], every: 10m, since: 9000d }
  - { id: liftoff-mirror, type: feed, urls: ["${api.url}/mirror.rss"], every: 10m, since: 9000d }
  - { id: bsky-brand, type: bluesky-search, query: "acme bank", every: 2m, since: 9000d }
  - { id: dead-forum, type: feed, urls: ["${api.url}/gone.rss"], every: 30s, alertAfter: 1, escalate: oncall }
  - { id: x-brand, type: x-search, query: '"acme bank" OR @acmebank', every: 2m, since: 9000d }
  - { id: reddit-brand, type: reddit-search, query: acme bank, subreddits: [personalfinance], every: 5m, since: 9000d }
  - { id: masto-brand, type: mastodon, instance: "${api.url}", hashtags: [acmebank], every: 5m, since: 9000d }
  - { id: yt-reviews, type: youtube-comments, channels: [UC_x5XG1OV2P6uZZ5FSM9Ttw], every: 10m, since: 9000d }
`,
    env: {
      FOGHORN_SANDBOX: 'true',
      FOGHORN_BLUESKY_HANDLE: 'acmebank.bsky.social',
      FOGHORN_BLUESKY_APP_PASSWORD: 'abcd-efgh-ijkl-mnop',
      FOGHORN_BLUESKY_BASE_URL: api.url,
      FOGHORN_X_APP_BEARER_TOKEN: 'AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid',
      FOGHORN_X_SEARCH_BASE_URL: api.url,
      FOGHORN_REDDIT_CLIENT_ID: 'p-jcoLKBynTLew',
      FOGHORN_REDDIT_CLIENT_SECRET: 'gko_LXELoV07ZBNUXrvWZfzE3aI',
      FOGHORN_REDDIT_REFRESH_TOKEN: '1234567890-refresh-token-test',
      FOGHORN_REDDIT_USERNAME: 'foghorn_support',
      FOGHORN_REDDIT_API_URL: `${api.url}/oauth`,
      FOGHORN_REDDIT_AUTH_URL: `${api.url}/www`,
      FOGHORN_YOUTUBE_API_KEY: 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY',
      FOGHORN_YOUTUBE_BASE_URL: api.url,
      FOGHORN_LOG_LEVEL: 'error',
    },
  }));

  const actions = () => recordedActions(runtime.current.url);

  it('escalates a feed item matching the rule with the item link, once for the article in both feeds', async () => {
    const escalation = await waitFor('the feed escalation', async () =>
      (await actions()).find((action) => action.ruleId === 'feed-star-city' && action.status === 'succeeded'),
    );
    expect(escalation).toMatchObject({ eventId: 'feed:http://liftoff.msfc.nasa.gov/news/2003/news-starcity.asp', mode: 'sandbox' });
    expect(escalation.request?.body).toContain('http://liftoff.msfc.nasa.gov/news/2003/news-starcity.asp');
    expect((await actions()).filter((action) => action.ruleId === 'feed-star-city')).toHaveLength(1);
  });

  it('replies in the thread of a matching Bluesky post (sandboxed, with root and parent)', async () => {
    const reply = await waitFor('the bluesky reply', async () =>
      (await actions()).find((action) => action.ruleId === 'bsky-logout' && action.status === 'succeeded'),
    );
    expect(reply).toMatchObject({
      eventId: 'bluesky:at://did:plc:u5cwb2mwiv2bfq53cjufe6yn/app.bsky.feed.post/3l7wqmkqjc22c',
      mode: 'sandbox',
      request: { method: 'POST', url: `${api.url}/xrpc/com.atproto.repo.createRecord` },
    });
    expect(JSON.parse(reply.request?.body ?? '{}').record).toMatchObject({
      text: 'Sorry about that. Sign-in is fixed now; please update the app.',
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
    });
    // Sandbox mode: nothing reached the PDS's write endpoint.
    expect(api.received.some((request) => request.url.includes('createRecord'))).toBe(false);
  });

  it('shows each source on /health, the failing one with its last error, and escalates it', async () => {
    const health = await waitFor('the failing source on /health', async () => {
      const body = await getJson<{ listening: Array<{ source: string; state: string; failures: number; lastError?: string }> }>(
        `${runtime.current.url}/health`,
      );
      const dead = body.listening.find((source) => source.source === 'dead-forum');
      return dead?.state === 'failing' && body.listening.find((source) => source.source === 'bsky-brand')?.state === 'ok'
        ? body
        : undefined;
    });
    expect(health.listening.map((source) => source.source)).toEqual([
      'liftoff',
      'liftoff-mirror',
      'bsky-brand',
      'dead-forum',
      'x-brand',
      'reddit-brand',
      'masto-brand',
      'yt-reviews',
    ]);
    expect(health.listening.find((source) => source.source === 'dead-forum')?.lastError).toBe(`feed ${api.url}/gone.rss answered HTTP 410`);
    const escalation = await waitFor('the failing source escalated', async () =>
      (await actions()).find((action) => action.ruleId === 'listen:dead-forum' && action.status === 'succeeded'),
    );
    expect(escalation.eventId).toMatch(/^listen:dead-forum:failing:/);
    const { audit } = await getJson<{ audit: Array<{ kind: string; what: string; detail?: { source?: string } }> }>(
      `${runtime.current.url}/api/audit?limit=100`,
    );
    expect(audit.find((entry) => entry.what === 'listen.failed')).toMatchObject({ kind: 'listen', detail: { source: 'dead-forum' } });
  });

  it('reads every other source type into the store, each item with its source and link', async () => {
    const expected: Record<string, string> = {
      'x:1372627771717869568': 'x-brand',
      'reddit:t3_17v2k9q': 'reddit-brand',
      'mastodon:https://fosstodon.org/users/trwnh/statuses/103270010429826511': 'masto-brand',
      'youtube:UgzDE2tasfmrYLyNkGt4AaABAg': 'yt-reviews',
    };
    // A source's status is written just after its items are stored: wait for both.
    const { events, health } = await waitFor('an event from every source type, each source ok', async () => {
      const { events } = await getJson<{ events: Array<{ id: string; kind: string; url?: string; meta?: { source?: string } }> }>(
        `${runtime.current.url}/api/events?limit=1000`,
      );
      const health = await getJson<{ listening: Array<{ source: string; state: string }> }>(`${runtime.current.url}/health`);
      const ok = Object.values(expected).every((source) => health.listening.find((one) => one.source === source)?.state === 'ok');
      return ok && Object.keys(expected).every((id) => events.some((event) => event.id === id)) ? { events, health } : undefined;
    });
    for (const [id, source] of Object.entries(expected)) {
      const event = events.find((candidate) => candidate.id === id);
      expect(event).toMatchObject({ kind: 'mention', meta: { source } });
      expect(event?.url).toMatch(/^https:\/\//);
    }
    expect(health.listening.filter((one) => Object.values(expected).includes(one.source)).map((one) => one.state)).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
    ]);
  });
});

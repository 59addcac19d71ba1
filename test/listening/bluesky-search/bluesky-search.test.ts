import { describe, expect, it } from 'vitest';
import { settingsFrom } from '../../../functions/core/settings.js';
import { blueskySearchSource } from '../../../functions/listening/bluesky-search/index.js';
import { listenOnce, listenStatuses } from '../../../functions/listening/listen.js';
import { BlueskySessionCache } from '../../../functions/platforms/bluesky/session.js';
import { type FakeAnswer, useFakePlatformApi } from '../../support/fake-platform-api.js';
import type { ReceivedRequest } from '../../support/loopback.js';
import { fixtureText, listenHarness, query, sourceConfig } from '../support.js';

const SESSION = JSON.parse(fixtureText('bluesky-search', 'create-session.json')) as Record<string, unknown>;
const SEARCH = JSON.parse(fixtureText('bluesky-search', 'search-posts.json')) as { posts: Array<{ uri: string; indexedAt: string }> };
const RATE_LIMITED = JSON.parse(fixtureText('bluesky-search', 'rate-limited.json')) as Record<string, unknown>;
/** Half an hour after the sample's newest post (indexed 2024-11-05T19:12:31.947Z). */
const NOW = new Date('2024-11-05T19:30:00Z');

function settings(url: string) {
  return settingsFrom({
    FOGHORN_BLUESKY_HANDLE: 'acmebank.bsky.social',
    FOGHORN_BLUESKY_APP_PASSWORD: 'abcd-efgh-ijkl-mnop',
    FOGHORN_BLUESKY_BASE_URL: url,
  });
}

/** The PDS: createSession, then searchPosts answering `search(request)`. */
function pds(search: (request: ReceivedRequest) => FakeAnswer) {
  return (request: ReceivedRequest): FakeAnswer => {
    if (request.url === '/xrpc/com.atproto.server.createSession') return { status: 200, body: SESSION };
    if (request.url.startsWith('/xrpc/app.bsky.feed.searchPosts')) return search(request);
    return { status: 404, body: { error: 'MethodNotImplemented' } };
  };
}

describe('bluesky-search source (app.bsky.feed.searchPosts) into the store', () => {
  const api = useFakePlatformApi();
  const config = (id: string, extra: Record<string, unknown> = {}) =>
    sourceConfig({ id, type: 'bluesky-search', query: 'acme bank', every: '2m', ...extra });

  it('signs in with the app password, searches newest first since the backfill bound, and makes mentions', async () => {
    api.answer(pds(() => ({ status: 200, body: { ...SEARCH, cursor: undefined } })));
    const { deps, store, published } = listenHarness({ now: NOW, settings: settings(api.url) });
    const source = blueskySearchSource(config('bsky-brand', { since: '2h' }), new BlueskySessionCache());

    expect(await listenOnce(source, deps)).toMatchObject({ status: 'polled', events: 3, created: 3 });

    const [session, search] = api.received;
    expect(JSON.parse(session?.body ?? '{}')).toEqual({ identifier: 'acmebank.bsky.social', password: 'abcd-efgh-ijkl-mnop' });
    expect(search?.headers.authorization).toBe(`Bearer ${String(SESSION.accessJwt)}`);
    expect(query(search)).toEqual({ q: 'acme bank', sort: 'latest', since: '2024-11-05T17:30:00.000Z', limit: '100' });

    const reply = (await store.get('bluesky:at://did:plc:u5cwb2mwiv2bfq53cjufe6yn/app.bsky.feed.post/3l7wqmkqjc22c'))?.event;
    expect(reply).toMatchObject({
      platform: 'bluesky',
      kind: 'mention',
      text: 'Same here: the acme bank app has been logging me out all morning.',
      author: { id: 'did:plc:u5cwb2mwiv2bfq53cjufe6yn', handle: 'samira.bsky.social', name: 'Samira' },
      url: 'https://bsky.app/profile/samira.bsky.social/post/3l7wqmkqjc22c',
      thread: {
        id: 'at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3l7wp3fjbx22h',
        replyToId: 'at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3l7wpxkp4hc2n',
      },
      createdAt: '2024-11-05T19:12:31.447Z',
      meta: {
        source: 'bsky-brand',
        cid: 'bafyreig2fjxi3rptqdgylg7e5hmjl6mcke7rn2b6cugzlqq3i4zu6rq52q',
        root: {
          uri: 'at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3l7wp3fjbx22h',
          cid: 'bafyreidg2p5vv2jaydwwjnujt5ubuvzpyfg3yyl5yfi55f5tkmmeijvd4a',
        },
      },
    });
    expect(reply?.author.isSelf).toBeUndefined();
    // The brand's own post (the signed-in account) is isSelf: no rule answers it.
    expect(published.find((event) => event.author.handle === 'acmebank.bsky.social')?.author.isSelf).toBe(true);
    // Oldest first, as the conversation happened.
    expect(published.map((event) => event.createdAt)).toEqual([...published.map((event) => event.createdAt)].sort());
  });

  it('advances its cursor: the next poll asks since the newest post seen and keeps only what is new', async () => {
    const newer = {
      ...SEARCH.posts[1],
      uri: 'at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3l7wsnew22k2a',
      cid: 'bafyreihnewpostcid',
      indexedAt: '2024-11-05T19:20:00.000Z',
      record: { $type: 'app.bsky.feed.post', createdAt: '2024-11-05T19:19:59.000Z', text: 'acme bank is back, thanks' },
    };
    let posts: unknown[] = SEARCH.posts;
    api.answer(pds(() => ({ status: 200, body: { posts } })));
    const { deps, clock, cursors } = listenHarness({ now: NOW, settings: settings(api.url) });
    const source = blueskySearchSource(config('bsky-cursor', { since: '1d' }), new BlueskySessionCache());
    expect(await listenOnce(source, deps)).toMatchObject({ created: 3 });
    expect(JSON.parse((await cursors.get('listen:bsky-cursor')) ?? '{}')).toEqual({
      since: '2024-11-05T19:12:31.947Z',
      atSince: ['at://did:plc:u5cwb2mwiv2bfq53cjufe6yn/app.bsky.feed.post/3l7wqmkqjc22c'],
    });

    // `since` is inclusive: the post at the cursor comes back and is not taken twice.
    posts = [newer, SEARCH.posts[0], SEARCH.posts[1]];
    clock.current = new Date(NOW.getTime() + 2 * 60_000);
    expect(await listenOnce(source, deps)).toMatchObject({ status: 'polled', events: 1, created: 1 });
    expect(query(api.received.at(-1)).since).toBe('2024-11-05T19:12:31.947Z');
  });

  it('keeps one event when two sources find the same post', async () => {
    api.answer(pds(() => ({ status: 200, body: SEARCH })));
    const { deps, published } = listenHarness({ now: NOW, settings: settings(api.url) });
    const sessions = new BlueskySessionCache();
    expect(await listenOnce(blueskySearchSource(config('bsky-a', { since: '1d' }), sessions), deps)).toMatchObject({ created: 3 });
    expect(await listenOnce(blueskySearchSource(config('bsky-b', { since: '1d', query: 'acmebank' }), sessions), deps)).toMatchObject({
      events: 3,
      created: 0,
    });
    expect(published).toHaveLength(3);
    // One session for both: createSession is rate-limited per account.
    expect(api.received.filter((request) => request.url.includes('createSession'))).toHaveLength(1);
  });

  it('backs off until ratelimit-reset after a 429', async () => {
    const reset = Math.floor(NOW.getTime() / 1000) + 300;
    api.answer(
      pds(() => ({
        status: 429,
        headers: {
          'ratelimit-limit': '3000',
          'ratelimit-remaining': '0',
          'ratelimit-reset': String(reset),
          'ratelimit-policy': '3000;w=300',
        },
        body: RATE_LIMITED,
      })),
    );
    const { deps, clock, cursors } = listenHarness({ now: NOW, settings: settings(api.url) });
    const source = blueskySearchSource(config('bsky-limited'), new BlueskySessionCache());
    expect(await listenOnce(source, deps)).toMatchObject({ status: 'failed', retryAt: '2024-11-05T19:35:00.000Z' });
    clock.current = new Date(NOW.getTime() + 4 * 60_000);
    expect(await listenOnce(source, deps)).toMatchObject({ status: 'backing-off' });
    expect((await listenStatuses([source], cursors, clock.current))[0]).toMatchObject({ state: 'backing-off', failures: 1 });
    expect(api.received.filter((request) => request.url.includes('searchPosts'))).toHaveLength(1);
  });

  it('signs in again once when the access token has expired', async () => {
    let expired = true;
    api.answer(
      pds(() => {
        if (!expired) return { status: 200, body: { posts: [] } };
        expired = false;
        return { status: 400, body: { error: 'ExpiredToken', message: 'Token has expired' } };
      }),
    );
    const { deps } = listenHarness({ now: NOW, settings: settings(api.url) });
    expect(await listenOnce(blueskySearchSource(config('bsky-expired'), new BlueskySessionCache()), deps)).toMatchObject({
      status: 'polled',
    });
    expect(api.received.filter((request) => request.url.includes('createSession'))).toHaveLength(2);
  });

  it('reports a refused app password as a failing source, and is not configured without credentials', async () => {
    api.answer((request) =>
      request.url.includes('createSession')
        ? { status: 401, body: { error: 'AuthenticationRequired', message: 'Invalid identifier or password' } }
        : { status: 500 },
    );
    const { deps, cursors, audit } = listenHarness({ now: NOW, settings: settings(api.url) });
    const source = blueskySearchSource(config('bsky-refused'), new BlueskySessionCache());
    const report = await listenOnce(source, deps);
    expect(report.status).toBe('failed');
    expect(report.error).toContain('AuthenticationRequired: Invalid identifier or password');
    expect(audit[0]).toMatchObject({ kind: 'listen', what: 'listen.failed', detail: { source: 'bsky-refused' } });

    const bare = listenHarness({ now: NOW });
    expect(await listenOnce(source, bare.deps)).toMatchObject({
      status: 'not-configured',
      missing: ['FOGHORN_BLUESKY_HANDLE', 'FOGHORN_BLUESKY_APP_PASSWORD'],
    });
    expect((await listenStatuses([source], bare.cursors, NOW))[0]?.state).toBe('not-configured');
    expect((await listenStatuses([source], cursors, NOW))[0]?.state).toBe('failing');
  });

  it('quarantines a post that is not a postView and keeps the rest', async () => {
    api.answer(pds(() => ({ status: 200, body: { posts: [{ uri: 'not-an-at-uri' }, SEARCH.posts[1]] } })));
    const { deps } = listenHarness({ now: NOW, settings: settings(api.url) });
    expect(await listenOnce(blueskySearchSource(config('bsky-odd', { since: '1d' }), new BlueskySessionCache()), deps)).toMatchObject({
      status: 'polled',
      created: 1,
      quarantined: 1,
    });
  });
});

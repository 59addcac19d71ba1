import { describe, expect, it } from 'vitest';
import type { ActionCommand } from '../../../functions/core/action-command.js';
import { settingsFrom } from '../../../functions/core/settings.js';
import { listenOnce } from '../../../functions/listening/listen.js';
import { redditSearchSource } from '../../../functions/listening/reddit-search/index.js';
import { buildRedditRequest } from '../../../functions/platforms/reddit/client.js';
import { RedditTokenCache } from '../../../functions/platforms/reddit/oauth.js';
import { redditApi, redditSettings } from '../../platforms/reddit/support.js';
import { useFakePlatformApi } from '../../support/fake-platform-api.js';
import { fixtureText, listenHarness, query, sourceConfig } from '../support.js';

const LISTING = JSON.parse(fixtureText('reddit-search', 'search-personalfinance.json')) as { data: { children: unknown[] } };
const EMPTY = { kind: 'Listing', data: { after: null, children: [] } };
/** About an hour after the sample's newest post (created 2023-11-14T22:00:00Z). */
const NOW = new Date('2023-11-14T23:00:00Z');

describe('reddit-search source (search sorted by new) into the store', () => {
  const api = useFakePlatformApi();
  const config = (id: string, extra: Record<string, unknown> = {}) =>
    sourceConfig({
      id,
      type: 'reddit-search',
      query: 'acme bank',
      subreddits: ['personalfinance', 'iran'],
      every: '5m',
      since: '4h',
      ...extra,
    });

  it('searches each subreddit with restrict_sr over the Reddit OAuth token, posts becoming mentions a comment answers', async () => {
    api.answer(redditApi({ '/oauth/r/personalfinance/search': LISTING, '/oauth/r/iran/search': EMPTY }));
    const { deps, store } = listenHarness({ now: NOW, settings: redditSettings(api.url) });
    expect(await listenOnce(redditSearchSource(config('reddit-brand'), new RedditTokenCache()), deps)).toMatchObject({ created: 2 });

    const searches = api.received.filter((request) => request.url.includes('/search'));
    expect(searches.map((request) => request.url.split('?')[0])).toEqual(['/oauth/r/personalfinance/search', '/oauth/r/iran/search']);
    expect(query(searches[0])).toEqual({ q: 'acme bank', sort: 'new', type: 'link', limit: '100', raw_json: '1', restrict_sr: '1' });
    expect(searches[0]?.headers.authorization).toMatch(/^bearer /);

    const post = (await store.get('reddit:t3_17v2k9q'))?.event;
    expect(post).toMatchObject({
      platform: 'reddit',
      kind: 'mention',
      text: 'Acme Bank froze my account, what now?\n\nAcme Bank froze my account after a transfer from my sister. Three calls, no answer. Anyone been through this?',
      author: { id: 't2_8w1k3b2c', handle: 'throwaway_pf_2023' },
      channel: { id: 'r/personalfinance' },
      url: 'https://www.reddit.com/r/personalfinance/comments/17v2k9q/acme_bank_froze_my_account_what_now/',
      createdAt: '2023-11-14T22:00:00.000Z',
      meta: { source: 'reddit-brand', fullname: 't3_17v2k9q' },
    });
    // The connected account's own post is isSelf.
    expect((await store.get('reddit:t3_17uzz01'))?.event.author.isSelf).toBe(true);

    const command = {
      id: 'a',
      eventId: post?.id,
      ruleId: 'r',
      index: 0,
      type: 'reply',
      params: { text: 'Sorry, DM us.' },
      event: post,
      createdAt: NOW.toISOString(),
    };
    const request = buildRedditRequest(command as ActionCommand, settingsFrom({}));
    expect(Object.fromEntries(new URLSearchParams(request.body))).toMatchObject({ thing_id: 't3_17v2k9q', text: 'Sorry, DM us.' });
  });

  it('stops at the newest post it saw last time, and keeps one event for a post two sources find', async () => {
    api.answer(redditApi({ '/oauth/r/personalfinance/search': LISTING, '/oauth/r/iran/search': EMPTY, '/oauth/search': LISTING }));
    const { deps, clock } = listenHarness({ now: NOW, settings: redditSettings(api.url) });
    const tokens = new RedditTokenCache();
    const source = redditSearchSource(config('reddit-cursor'), tokens);
    expect(await listenOnce(source, deps)).toMatchObject({ created: 2 });
    clock.current = new Date(NOW.getTime() + 5 * 60_000);
    expect(await listenOnce(source, deps)).toMatchObject({ status: 'polled', events: 0 });

    const everywhere = redditSearchSource(config('reddit-all', { subreddits: undefined }), tokens);
    expect(await listenOnce(everywhere, deps)).toMatchObject({ events: 2, created: 0 });
    expect(query(api.received.at(-1)).restrict_sr).toBeUndefined();
  });

  it('backs off until x-ratelimit-reset after a 429', async () => {
    api.answer((request) =>
      request.url.includes('/search')
        ? {
            status: 429,
            headers: { 'x-ratelimit-used': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '240' },
            body: { message: 'Too Many Requests', error: 429 },
          }
        : redditApi({})(request),
    );
    const { deps, clock } = listenHarness({ now: NOW, settings: redditSettings(api.url) });
    const source = redditSearchSource(config('reddit-limited'), new RedditTokenCache());
    expect(await listenOnce(source, deps)).toMatchObject({ status: 'failed', retryAt: '2023-11-14T23:04:00.000Z' });
    clock.current = new Date(NOW.getTime() + 3 * 60_000);
    expect(await listenOnce(source, deps)).toMatchObject({ status: 'backing-off' });
  });

  it('reports a subreddit that does not exist as the source failing', async () => {
    api.answer(redditApi({ '/oauth/r/personalfinance/search': LISTING }));
    const { deps } = listenHarness({ now: NOW, settings: redditSettings(api.url) });
    const report = await listenOnce(redditSearchSource(config('reddit-missing'), new RedditTokenCache()), deps);
    expect(report.status).toBe('failed');
    expect(report.error).toContain('reddit search in r/iran answered HTTP 404');
  });
});

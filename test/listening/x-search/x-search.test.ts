import { describe, expect, it } from 'vitest';
import type { ActionCommand } from '../../../functions/core/action-command.js';
import { settingsFrom } from '../../../functions/core/settings.js';
import { listenOnce } from '../../../functions/listening/listen.js';
import { xSearchSource } from '../../../functions/listening/x-search/index.js';
import { xConnector } from '../../../functions/platforms/x/index.js';
import { useFakePlatformApi } from '../../support/fake-platform-api.js';
import { fixtureText, listenHarness, query, sourceConfig } from '../support.js';

const SEARCH = JSON.parse(fixtureText('x-search', 'search-recent.json')) as { data: unknown[] };
const NOW = new Date('2021-03-19T20:30:00Z');
const EMPTY = { meta: { result_count: 0 } };

function settings(url: string) {
  return settingsFrom({
    FOGHORN_X_APP_BEARER_TOKEN: 'AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid',
    FOGHORN_X_SEARCH_BASE_URL: url,
    FOGHORN_X_USER_ID: '2244994945',
  });
}

describe('x-search source (GET /2/tweets/search/recent) into the store', () => {
  const api = useFakePlatformApi();
  const config = (id: string, extra: Record<string, unknown> = {}) =>
    sourceConfig({ id, type: 'x-search', query: '"acme bank" OR @acmebank -is:retweet', every: '2m', since: '2d', ...extra });

  it('searches from the backfill bound with the author expanded, and makes mentions the X connector can answer', async () => {
    api.answer(() => ({ status: 200, body: SEARCH }));
    const { deps, store, cursors } = listenHarness({ now: NOW, settings: settings(api.url) });
    expect(await listenOnce(xSearchSource(config('x-brand')), deps)).toMatchObject({ status: 'polled', created: 2 });

    expect(api.received[0]?.headers.authorization).toBe('Bearer AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid');
    expect(query(api.received[0])).toMatchObject({
      query: '"acme bank" OR @acmebank -is:retweet',
      start_time: '2021-03-17T20:30:00.000Z',
      expansions: 'author_id',
      max_results: '100',
    });
    const reply = (await store.get('x:1372627771717869568'))?.event;
    expect(reply).toMatchObject({
      platform: 'x',
      kind: 'mention',
      author: { id: '6253282', handle: 'TwitterAPI', name: 'Twitter API', followers: 6059693 },
      url: 'https://x.com/TwitterAPI/status/1372627771717869568',
      thread: { id: '1372617845093892096', replyToId: '1372617845093892096' },
      meta: { source: 'x-brand', tweetId: '1372627771717869568' },
    });
    // The brand's own account (FOGHORN_X_USER_ID) is isSelf.
    expect((await store.get('x:1373001119480344583'))?.event.author.isSelf).toBe(true);
    expect(await cursors.get('listen:x-brand')).toBe('1373001119480344583');

    const command: ActionCommand = {
      id: 'act_x',
      eventId: reply?.id ?? '',
      ruleId: 'answer',
      index: 0,
      type: 'reply',
      params: { text: 'Sorry to hear that, we are looking into it.' },
      event: reply as NonNullable<typeof reply>,
      createdAt: NOW.toISOString(),
    };
    const request = xConnector.buildRequest(command, { settings: settingsFrom({}), now: NOW });
    expect(JSON.parse(request.body ?? '{}')).toEqual({
      text: 'Sorry to hear that, we are looking into it.',
      reply: { in_reply_to_tweet_id: '1372627771717869568' },
    });
  });

  it('advances with since_id, keeps one event for a post two sources find, and pages with next_token', async () => {
    let answers: unknown[] = [SEARCH];
    api.answer(() => ({ status: 200, body: answers.shift() ?? EMPTY }));
    const { deps, clock } = listenHarness({ now: NOW, settings: settings(api.url) });
    expect(await listenOnce(xSearchSource(config('x-a')), deps)).toMatchObject({ created: 2 });

    answers = [
      {
        data: [SEARCH.data[0]],
        meta: { newest_id: '1373001119480344583', result_count: 1, next_token: 'b26v89c19zqg8o3fo7gesq314yb9l2l4ptqy' },
      },
      { data: [SEARCH.data[1]], meta: { result_count: 1 } },
    ];
    expect(await listenOnce(xSearchSource(config('x-b', { query: 'acme bank' })), deps)).toMatchObject({ events: 2, created: 0 });
    expect(query(api.received.at(-1)).next_token).toBe('b26v89c19zqg8o3fo7gesq314yb9l2l4ptqy');

    clock.current = new Date(NOW.getTime() + 2 * 60_000);
    expect(await listenOnce(xSearchSource(config('x-a')), deps)).toMatchObject({ status: 'polled', events: 0 });
    expect(query(api.received.at(-1))).toMatchObject({ since_id: '1373001119480344583' });
    expect(query(api.received.at(-1)).start_time).toBeUndefined();
  });

  it('backs off until x-rate-limit-reset after a 429', async () => {
    const reset = Math.floor(NOW.getTime() / 1000) + 900;
    api.answer(() => ({
      status: 429,
      headers: { 'x-rate-limit-limit': '450', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) },
      body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
    }));
    const { deps, clock } = listenHarness({ now: NOW, settings: settings(api.url) });
    const source = xSearchSource(config('x-limited'));
    expect(await listenOnce(source, deps)).toMatchObject({ status: 'failed', retryAt: '2021-03-19T20:45:00.000Z' });
    clock.current = new Date(NOW.getTime() + 14 * 60_000);
    expect(await listenOnce(source, deps)).toMatchObject({ status: 'backing-off' });
    expect(api.received).toHaveLength(1);
  });

  it('reports a refused query with X’s own words', async () => {
    api.answer(() => ({
      status: 400,
      body: {
        errors: [
          { parameters: { query: ['(('] }, message: 'There were errors processing your request: Rules must contain a non-negation term' },
        ],
        title: 'Invalid Request',
        detail: 'One or more parameters to your request was invalid.',
      },
    }));
    const { deps } = listenHarness({ now: NOW, settings: settings(api.url) });
    const report = await listenOnce(xSearchSource(config('x-bad')), deps);
    expect(report).toMatchObject({
      status: 'failed',
      error: 'X recent search answered HTTP 400: One or more parameters to your request was invalid.',
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { ActionCommand } from '../../../functions/core/action-command.js';
import { settingsFrom } from '../../../functions/core/settings.js';
import { listenOnce } from '../../../functions/listening/listen.js';
import { mastodonSource } from '../../../functions/listening/mastodon/index.js';
import { connectorFor } from '../../../functions/platforms/index.js';
import { type FakeAnswer, sendOutbound, useFakePlatformApi } from '../../support/fake-platform-api.js';
import type { ReceivedRequest } from '../../support/loopback.js';
import { fixtureText, listenHarness, query, sourceConfig } from '../support.js';

const TAG = JSON.parse(fixtureText('mastodon', 'tag-timeline.json')) as Array<Record<string, unknown>>;
const NOW = new Date('2019-12-08T04:00:00Z');

/** An instance: the tag timeline and the statuses search, each answering `pages` in turn then nothing new. */
function instance(pages: { tag?: unknown[][]; search?: unknown[][] }) {
  return (request: ReceivedRequest): FakeAnswer => {
    if (request.url.startsWith('/api/v1/timelines/tag/')) return { status: 200, body: pages.tag?.shift() ?? [] };
    if (request.url.startsWith('/api/v2/search'))
      return { status: 200, body: { accounts: [], statuses: pages.search?.shift() ?? [], hashtags: [] } };
    if (request.url === '/api/v1/statuses' && request.method === 'POST')
      return { status: 200, body: { ...TAG[1], id: '103270200000000001' } };
    return { status: 404, body: { error: 'Record not found' } };
  };
}

describe('mastodon source (hashtag timeline and statuses search) into the store', () => {
  const api = useFakePlatformApi();
  const config = (id: string, extra: Record<string, unknown> = {}) =>
    sourceConfig({ id, type: 'mastodon', instance: api.url, hashtags: ['acmebank'], every: '5m', since: '1h', ...extra });

  it('reads the hashtag timeline, statuses becoming mentions with their link, then goes on from the newest id', async () => {
    api.answer(instance({ tag: [TAG] }));
    const { deps, store, cursors, clock } = listenHarness({ now: NOW });
    const source = mastodonSource(config('masto-tag'));
    expect(await listenOnce(source, deps)).toMatchObject({ status: 'polled', created: 2 });
    expect(api.received[0]?.url).toBe('/api/v1/timelines/tag/acmebank?limit=40');

    const reply = (await store.get('mastodon:https://fosstodon.org/users/trwnh/statuses/103270010429826511'))?.event;
    expect(reply).toMatchObject({
      platform: 'mastodon',
      kind: 'mention',
      text: 'Same with #acmebank, their app keeps logging me out',
      author: { id: 'trwnh@fosstodon.org', name: 'infinite love ⴳ', followers: 821 },
      url: 'https://fosstodon.org/@trwnh/103270010429826511',
      thread: { replyToId: '103269995836040032' },
      meta: { source: 'masto-tag', statusId: '103270010429826511', instance: api.url, acct: 'trwnh@fosstodon.org' },
    });
    expect(JSON.parse((await cursors.get('listen:masto-tag')) ?? '{}')).toEqual({ 'tag:acmebank': '103270115826048975' });

    clock.current = new Date(NOW.getTime() + 5 * 60_000);
    expect(await listenOnce(source, deps)).toMatchObject({ status: 'polled', events: 0 });
    expect(query(api.received.at(-1))).toEqual({ limit: '40', min_id: '103270115826048975' });
  });

  it('searches with the access token, and keeps one event for a status heard in the search and the tag', async () => {
    api.answer(instance({ tag: [TAG], search: [[TAG[0]]] }));
    const { deps } = listenHarness({
      now: NOW,
      settings: settingsFrom({ FOGHORN_MASTODON_ACCESS_TOKEN: 'ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0' }),
    });
    expect(await listenOnce(mastodonSource(config('masto-both', { query: 'acme bank' })), deps)).toMatchObject({ events: 2, created: 2 });
    const search = api.received.find((request) => request.url.startsWith('/api/v2/search'));
    expect(query(search)).toMatchObject({ q: 'acme bank', type: 'statuses', resolve: 'false', limit: '40' });
    expect(search?.headers.authorization).toBe('Bearer ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0');
  });

  it('backs off until X-RateLimit-Reset after a 429', async () => {
    api.answer(() => ({
      status: 429,
      headers: { 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2019-12-08T04:05:00.000Z' },
      body: { error: 'Too many requests' },
    }));
    const { deps, clock } = listenHarness({ now: NOW });
    const source = mastodonSource(config('masto-limited'));
    expect(await listenOnce(source, deps)).toMatchObject({ status: 'failed', retryAt: '2019-12-08T04:05:00.000Z' });
    clock.current = new Date(NOW.getTime() + 4 * 60_000);
    expect(await listenOnce(source, deps, { force: true })).toMatchObject({ status: 'backing-off' });
  });

  it('reports an instance that refuses the search without a valid token', async () => {
    api.answer((request) =>
      request.url.startsWith('/api/v2/search') ? { status: 401, body: { error: 'The access token is invalid' } } : instance({})(request),
    );
    const { deps } = listenHarness({ now: NOW, settings: settingsFrom({ FOGHORN_MASTODON_ACCESS_TOKEN: 'revoked' }) });
    const report = await listenOnce(mastodonSource(config('masto-refused', { query: 'acme bank' })), deps);
    expect(report).toMatchObject({ status: 'failed', error: `mastodon ${api.url} search answered HTTP 401: The access token is invalid` });
  });

  it('replies with in_reply_to_id, the author mentioned, and an Idempotency-Key', async () => {
    api.answer(instance({ tag: [TAG] }));
    const { deps, store } = listenHarness({ now: NOW });
    await listenOnce(mastodonSource(config('masto-reply')), deps);
    const event = (await store.get('mastodon:https://fosstodon.org/users/trwnh/statuses/103270010429826511'))?.event;
    const connector = connectorFor('mastodon');
    if (!connector || !event) throw new Error('no mastodon connector or event');
    const command: ActionCommand = {
      id: 'act_masto1',
      eventId: event.id,
      ruleId: 'r',
      index: 0,
      type: 'reply',
      params: { text: 'Sorry! Please update the app.' },
      event,
      createdAt: NOW.toISOString(),
    };
    const settings = settingsFrom({ FOGHORN_MASTODON_ACCESS_TOKEN: 'ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0' });
    const request = connector.buildRequest(command, { settings, now: NOW });
    expect(request).toMatchObject({ method: 'POST', url: `${api.url}/api/v1/statuses`, headers: { 'idempotency-key': 'act_masto1' } });
    expect(JSON.parse(request.body ?? '{}')).toEqual({
      status: '@trwnh@fosstodon.org Sorry! Please update the app.',
      in_reply_to_id: '103270010429826511',
    });
    expect(connector.interpretResponse(await sendOutbound(request), command, { settings, now: NOW })).toEqual({
      externalId: '103270200000000001',
    });
    expect(connector.deduplication?.key).toBe('Idempotency-Key header');
  });
});

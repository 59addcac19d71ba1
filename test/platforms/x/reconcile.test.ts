import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionCommandId } from '../../../functions/core/action-command.js';
import { LiveSender } from '../../../functions/core/outbound/index.js';
import { settingsFrom } from '../../../functions/core/settings.js';
import { xConnector } from '../../../functions/platforms/x/index.js';
import { makeEvent } from '../../support/events.js';
import { type FakeAnswer, startFakePlatformApi } from '../../support/fake-platform-api.js';

/**
 * X's read API, as documented: GET /2/users/:id/tweets (https://docs.x.com/x-api/users/get-posts) answers
 * `data` (each post's `id`, `text`, `edit_history_tweet_ids`, and with `tweet.fields` its `created_at` and
 * `referenced_tweets`) and `meta` (`result_count`, `newest_id`, `oldest_id`, `next_token`). fixtures/users-tweets.json
 * has that documented shape (texts as X shows them back: `&amp;`, t.co links, a reply's leading @handle).
 */
const TOKEN = 'x-user-token';
const SELF = '2244994945';
const ANSWERED = '1337498609819021312';
const page = JSON.parse(readFileSync('test/platforms/x/fixtures/users-tweets.json', 'utf8')) as {
  data: Record<string, unknown>[];
  meta: Record<string, unknown>;
};

function command(type: 'reply' | 'post' = 'reply', kind = 'mention') {
  const event = makeEvent({
    id: `x:${ANSWERED}`,
    platform: 'x',
    kind: kind as 'mention',
    channel: { id: SELF },
    meta: { tweetId: ANSWERED, ...(kind === 'dm' ? { recipientId: '9' } : {}) },
  });
  return {
    id: actionCommandId(event.id, 'faq', 0),
    eventId: event.id,
    ruleId: 'faq',
    index: 0,
    type,
    params: { text: 'Thanks & welcome: https://example.com/help' },
    event,
    createdAt: '2026-11-22T10:00:00.500Z',
  };
}

describe('x reconcile', () => {
  let api: Awaited<ReturnType<typeof startFakePlatformApi>>;
  beforeAll(async () => {
    api = await startFakePlatformApi();
  });
  afterAll(() => api.close());
  const context = () => {
    const sender = new LiveSender({ timeoutMs: 2000 });
    return {
      settings: settingsFrom({ FOGHORN_X_BEARER_TOKEN: TOKEN, FOGHORN_X_API_URL: api.url }),
      now: new Date('2026-11-22T10:00:05.000Z'),
      send: (request: Parameters<LiveSender['send']>[0]) => sender.send(request),
    };
  };
  const pages = (...answers: FakeAnswer['body'][]) => {
    api.answer((request) => {
      const token = new URL(request.url, 'http://x').searchParams.get('pagination_token');
      return { status: 200, body: token ? answers[1] : answers[0] };
    });
  };

  it("finds the reply among the account's posts since the command: same text as X shows it, answering the same post", async () => {
    pages({ data: [], meta: { result_count: 0, next_token: page.meta.next_token } }, { ...page, meta: { result_count: 2 } });
    const before = api.received.length;
    expect(await xConnector.reconcile?.(command(), context())).toEqual({ found: true, externalId: '1338923691497959425' });
    const reads = api.received.slice(before).map((request) => ({ ...request, parsed: new URL(request.url, 'http://x') }));
    expect(reads.map((read) => `${read.method} ${read.parsed.pathname}`)).toEqual([
      `GET /2/users/${SELF}/tweets`,
      `GET /2/users/${SELF}/tweets`,
    ]);
    expect(Object.fromEntries(reads[0]!.parsed.searchParams)).toEqual({
      max_results: '100',
      start_time: '2026-11-22T09:59:00Z',
      exclude: 'retweets',
      'tweet.fields': 'created_at,referenced_tweets',
    });
    expect(reads[1]!.parsed.searchParams.get('pagination_token')).toBe(page.meta.next_token);
    expect(reads[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('the same text answering another post, or a post that answers nothing, is not this reply: not found', async () => {
    const mine = page.data[1]!;
    pages({
      data: [
        { ...mine, id: '1', referenced_tweets: [{ type: 'replied_to', id: '42' }] },
        { ...mine, id: '2', referenced_tweets: undefined },
        { ...mine, id: '3', referenced_tweets: [{ type: 'quoted', id: ANSWERED }] },
      ],
      meta: { result_count: 3 },
    });
    expect(await xConnector.reconcile?.(command(), context())).toEqual({ found: false });
    // For a post, only the one answering nothing matches.
    expect(await xConnector.reconcile?.(command('post'), context())).toEqual({ found: true, externalId: '2' });
  });

  it('two identical replies to the same post cannot be told apart: it throws (the action is held), it does not guess', async () => {
    const mine = page.data[1]!;
    pages({ data: [mine, { ...mine, id: '1338923691497959999' }], meta: { result_count: 2 } });
    await expect(xConnector.reconcile?.(command(), context())).rejects.toThrow(
      /2 messages match \(1338923691497959425, 1338923691497959999\)/,
    );
  });

  it('throws when X cannot be asked (a token without tweet.read), and for a direct message, which is not read back', async () => {
    api.answer(() => ({ status: 403, body: { title: 'Forbidden', detail: 'You are not permitted to perform this action.' } }));
    await expect(xConnector.reconcile?.(command(), context())).rejects.toThrow(/answered 403: You are not permitted/);
    const before = api.received.length;
    await expect(xConnector.reconcile?.(command('reply', 'dm'), context())).rejects.toThrow(/direct messages are not read back/);
    expect(api.received.length).toBe(before);
  });
});

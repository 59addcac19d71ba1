import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionCommandId } from '../../../functions/core/action-command.js';
import { LiveSender } from '../../../functions/core/outbound/index.js';
import { settingsFrom } from '../../../functions/core/settings.js';
import { facebookConnector } from '../../../functions/platforms/facebook/index.js';
import { makeEvent } from '../../support/events.js';
import { startFakePlatformApi } from '../../support/fake-platform-api.js';

/**
 * The Graph API's comments edge, as documented (https://developers.facebook.com/docs/graph-api/reference/object/comments,
 * a comment's replies being its own /comments edge): `data` with each comment's `created_time`, `from` {name, id},
 * `message` and `id`, and `paging` {cursors {before, after}, next}. fixtures/comment-replies.json has that shape.
 */
const TOKEN = 'page-token';
const PAGE = '1353269864728879';
const COMMENT = '1809938745705498';
const page = JSON.parse(readFileSync('test/platforms/facebook/fixtures/comment-replies.json', 'utf8')) as {
  data: Record<string, unknown>[];
  paging: Record<string, unknown>;
};

function command(type: 'reply' | 'post' = 'reply', kind = 'comment') {
  const event = makeEvent({
    id: `facebook:${COMMENT}`,
    platform: 'facebook',
    kind: kind as 'comment',
    channel: { id: PAGE },
    meta: { commentId: COMMENT, replyTargetId: COMMENT, ...(kind === 'dm' ? { recipientId: '77' } : {}) },
  });
  return {
    id: actionCommandId(event.id, 'faq', 0),
    eventId: event.id,
    ruleId: 'faq',
    index: 0,
    type,
    params: { text: 'Thanks, we are on it' },
    event,
    createdAt: '2026-11-22T10:00:30.000Z',
  };
}

describe('facebook reconcile', () => {
  let api: Awaited<ReturnType<typeof startFakePlatformApi>>;
  beforeAll(async () => {
    api = await startFakePlatformApi();
  });
  afterAll(() => api.close());
  const context = () => {
    const sender = new LiveSender({ timeoutMs: 2000 });
    return {
      settings: settingsFrom({ FOGHORN_META_PAGE_TOKEN: TOKEN, FOGHORN_META_API_URL: `${api.url}/v21.0`, FOGHORN_META_PAGE_ID: PAGE }),
      now: new Date('2026-11-22T10:00:35.000Z'),
      send: (request: Parameters<LiveSender['send']>[0]) => sender.send(request),
    };
  };

  it("finds the Page's reply under the comment (following the cursor); a visitor's identical words are not it", async () => {
    api.answer((request) =>
      new URL(request.url, 'http://x').searchParams.get('after')
        ? { status: 200, body: { data: [{ ...page.data[1], created_time: '2026-11-22T09:00:00+0000', id: 'old' }], paging: {} } }
        : { status: 200, body: page },
    );
    const before = api.received.length;
    expect(await facebookConnector.reconcile?.(command(), context())).toEqual({
      found: true,
      externalId: '1809938745705498_1809941802371859',
    });
    const reads = api.received.slice(before).map((request) => new URL(request.url, 'http://x'));
    expect(reads.map((read) => read.pathname)).toEqual([`/v21.0/${COMMENT}/comments`, `/v21.0/${COMMENT}/comments`]);
    expect(Object.fromEntries(reads[0]!.searchParams)).toEqual({
      fields: 'id,message,from,created_time',
      filter: 'stream',
      order: 'reverse_chronological',
      limit: '100',
    });
    expect(reads[1]!.searchParams.get('after')).toBe((page.paging.cursors as { after: string }).after);
    expect(api.received[before]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("stops at replies older than the command: the Page's same words from before are not this reply", async () => {
    api.answer(() => ({
      status: 200,
      body: { data: [page.data[0], { ...page.data[1], created_time: '2026-11-22T09:59:00+0000' }], paging: page.paging },
    }));
    const before = api.received.length;
    expect(await facebookConnector.reconcile?.(command(), context())).toEqual({ found: false });
    expect(api.received.length - before).toBe(1);
  });

  it('two identical Page replies throw (held, not guessed); so does a read error and a Messenger answer', async () => {
    api.answer(() => ({ status: 200, body: { data: [page.data[1], { ...page.data[1], id: 'twin' }] } }));
    await expect(facebookConnector.reconcile?.(command(), context())).rejects.toThrow(/2 messages match/);
    api.answer(() => ({
      status: 400,
      body: { error: { message: '(#10) Requires pages_read_engagement', type: 'OAuthException', code: 10 } },
    }));
    await expect(facebookConnector.reconcile?.(command(), context())).rejects.toThrow(/answered 400: error 10 \(OAuthException\)/);
    await expect(facebookConnector.reconcile?.(command('reply', 'dm'), context())).rejects.toThrow(/Messenger answers are not read back/);
  });

  it("a Page post is looked for among the Page's posts", async () => {
    api.answer(() => ({
      status: 200,
      body: { data: [{ id: `${PAGE}_555`, message: 'Thanks, we are on it', created_time: '2026-11-22T10:00:31+0000' }] },
    }));
    const before = api.received.length;
    expect(await facebookConnector.reconcile?.(command('post'), context())).toEqual({ found: true, externalId: `${PAGE}_555` });
    expect(new URL(api.received[before]!.url, 'http://x').pathname).toBe(`/v21.0/${PAGE}/posts`);
  });
});

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionCommandId } from '../../../functions/core/action-command.js';
import { LiveSender } from '../../../functions/core/outbound/index.js';
import { settingsFrom } from '../../../functions/core/settings.js';
import { instagramConnector } from '../../../functions/platforms/instagram/index.js';
import { makeEvent } from '../../support/events.js';
import { startFakePlatformApi } from '../../support/fake-platform-api.js';

/**
 * Instagram's replies edge, as documented (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment/replies,
 * comment fields https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment):
 * `data` with each reply's `timestamp`, `text`, `id` and, when asked for, `from` {id, username}.
 * fixtures/comment-replies.json has that shape.
 */
const ACCOUNT = '17841405822304914';
const COMMENT = '17870913679156914';
const page = JSON.parse(readFileSync('test/platforms/instagram/fixtures/comment-replies.json', 'utf8')) as {
  data: Record<string, unknown>[];
};

function command(kind = 'comment') {
  const event = makeEvent({
    id: `instagram:${COMMENT}`,
    platform: 'instagram',
    kind: kind as 'comment',
    channel: { id: ACCOUNT },
    meta: { commentId: COMMENT, replyTargetId: COMMENT, mediaId: '1789', ...(kind === 'dm' ? { recipientId: '77' } : {}) },
  });
  return {
    id: actionCommandId(event.id, 'faq', 0),
    eventId: event.id,
    ruleId: 'faq',
    index: 0,
    type: 'reply',
    params: { text: 'Thanks, we are on it' },
    event,
    createdAt: '2026-11-22T10:00:30.000Z',
  };
}

describe('instagram reconcile', () => {
  let api: Awaited<ReturnType<typeof startFakePlatformApi>>;
  beforeAll(async () => {
    api = await startFakePlatformApi();
  });
  afterAll(() => api.close());
  const context = () => {
    const sender = new LiveSender({ timeoutMs: 2000 });
    return {
      settings: settingsFrom({ FOGHORN_META_PAGE_TOKEN: 'page-token', FOGHORN_META_API_URL: api.url }),
      now: new Date('2026-11-22T10:00:35.000Z'),
      send: (request: Parameters<LiveSender['send']>[0]) => sender.send(request),
    };
  };

  it("finds the account's reply under the comment; someone else's identical words are not it", async () => {
    api.answer(() => ({ status: 200, body: page }));
    const before = api.received.length;
    expect(await instagramConnector.reconcile?.(command(), context())).toEqual({ found: true, externalId: '17873440459141021' });
    const read = new URL(api.received[before]!.url, 'http://x');
    expect(read.pathname).toBe(`/${COMMENT}/replies`);
    expect(read.searchParams.get('fields')).toBe('id,text,timestamp,from');
  });

  it("the account's same words from before the command are not this reply; a reply without an author throws", async () => {
    api.answer(() => ({ status: 200, body: { data: [{ ...page.data[0], timestamp: '2026-11-22T09:58:00+0000' }, page.data[1]] } }));
    expect(await instagramConnector.reconcile?.(command(), context())).toEqual({ found: false });
    api.answer(() => ({ status: 200, body: { data: [{ ...page.data[0], from: undefined }] } }));
    await expect(instagramConnector.reconcile?.(command(), context())).rejects.toThrow(/no author to tell whose it is/);
  });

  it('two identical replies of the account throw (held, not guessed); so do an @mention answer and a Direct message', async () => {
    api.answer(() => ({ status: 200, body: { data: [page.data[0], { ...page.data[0], id: 'twin' }] } }));
    await expect(instagramConnector.reconcile?.(command(), context())).rejects.toThrow(/2 messages match/);
    await expect(instagramConnector.reconcile?.(command('mention'), context())).rejects.toThrow(/@mention are not read back/);
    await expect(instagramConnector.reconcile?.(command('dm'), context())).rejects.toThrow(/Direct messages are not read back/);
  });
});

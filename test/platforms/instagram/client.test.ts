import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../../functions/core/event.js';
import { instagramConnector } from '../../../functions/platforms/instagram/index.js';
import { commandFor, contextWith, fixtureBytes, hmacHex, inbound, sendOver } from '../../support/connector-harness.js';
import { startLoopback } from '../../support/loopback.js';

/**
 * Replies to an @mention of the account on someone else's media. The Instagram Graph API documents them as
 * `POST /{ig-user-id}/mentions` with `media_id`, `comment_id` (for a mention in a comment) and `message`,
 * answering `{"id": "<new comment id>"}`:
 * https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/mentions
 * The mention itself is the `mentions` change of comments.json (Meta's webhook sample).
 */
const SECRET = 'test-app-secret';
const IG_USER_ID = '17841405822304914';

function events(): CanonicalEvent[] {
  const body = fixtureBytes(new URL('./fixtures/comments.json', import.meta.url));
  const context = contextWith({ FOGHORN_META_APP_SECRET: SECRET, FOGHORN_META_VERIFY_TOKEN: 'v' });
  const request = inbound('instagram', { body, headers: { 'x-hub-signature-256': `sha256=${hmacHex(SECRET, body)}` } });
  return instagramConnector.normalise(request, context).events;
}

describe('instagram outbound: replies to an @mention', () => {
  let api: Awaited<ReturnType<typeof startLoopback>>;
  beforeAll(async () => {
    api = await startLoopback(() => ({ status: 200, body: '{"id":"17873440459141021"}' }));
  });
  afterAll(async () => {
    await api.close();
  });
  const live = () => contextWith({ FOGHORN_META_PAGE_TOKEN: 'page-token', FOGHORN_META_API_URL: `${api.url}/v21.0` });

  it('answers a mention in a comment through POST /{ig-user-id}/mentions with media_id and comment_id', async () => {
    const mention = events().find((event) => event.kind === 'mention');
    if (!mention) throw new Error('the fixture has a mention');
    const command = commandFor(mention, 'reply', { text: 'Thanks for the shout-out!' });
    const response = await sendOver(instagramConnector.buildRequest(command, live()));
    const sent = api.received.at(-1);
    expect(sent?.method).toBe('POST');
    expect(sent?.url).toBe(`/v21.0/${IG_USER_ID}/mentions`);
    expect(sent?.headers.authorization).toBe('Bearer page-token');
    expect(JSON.parse(sent?.body ?? '{}')).toEqual({
      media_id: '17918195224117851',
      comment_id: '17894227972186120',
      message: 'Thanks for the shout-out!',
    });
    expect(instagramConnector.interpretResponse(response, command, live())).toEqual({ externalId: '17873440459141021' });
  });

  it('answers a mention in a caption (no comment_id) with a comment on that media, through the same endpoint', async () => {
    const mention = events().find((event) => event.kind === 'mention');
    if (!mention) throw new Error('the fixture has a mention');
    const { commentId: _commentId, replyTargetId: _replyTargetId, ...captionMeta } = mention.meta ?? {};
    const caption = { ...mention, id: 'instagram:mention:17918195224117851', meta: captionMeta };
    await sendOver(instagramConnector.buildRequest(commandFor(caption, 'reply', { text: 'Thank you!' }), live()));
    const sent = api.received.at(-1);
    expect(sent?.url).toBe(`/v21.0/${IG_USER_ID}/mentions`);
    expect(JSON.parse(sent?.body ?? '{}')).toEqual({ media_id: '17918195224117851', message: 'Thank you!' });
  });

  it('still answers a comment on its own media under the comment (/{comment-id}/replies)', async () => {
    const comment = events().find((event) => event.kind === 'comment');
    if (!comment) throw new Error('the fixture has a comment');
    await sendOver(instagramConnector.buildRequest(commandFor(comment, 'reply'), live()));
    expect(api.received.at(-1)?.url).toBe('/v21.0/17865799348089039/replies');
  });
});

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentActionError, SignatureError, TransientActionError } from '../../../functions/core/errors.js';
import { type CanonicalEvent, canonicalEventSchema } from '../../../functions/core/event.js';
import { connectorFor } from '../../../functions/platforms/index.js';
import { instagramConnector } from '../../../functions/platforms/instagram/index.js';
import {
  commandFor,
  contextWith,
  docPage,
  fixtureBytes,
  fixtureMutations,
  hmacHex,
  inbound,
  normalisedBy,
  sendOver,
  settingNamesIn,
} from '../../support/connector-harness.js';
import { startLoopback } from '../../support/loopback.js';
import { expectEventsOrNamedRefusal } from '../../support/mutate-json.js';

const SECRET = 'test-app-secret';
const baseSettings = { FOGHORN_META_APP_SECRET: SECRET, FOGHORN_META_VERIFY_TOKEN: 'test-verify-token' };
const comments = fixtureBytes(new URL('./fixtures/comments.json', import.meta.url));
const messaging = fixtureBytes(new URL('./fixtures/messaging.json', import.meta.url));

function normalise(body: Buffer, settings: Record<string, string> = baseSettings): CanonicalEvent[] {
  const context = contextWith(settings);
  const request = inbound('instagram', { body, headers: { 'x-hub-signature-256': `sha256=${hmacHex(SECRET, body)}` } });
  instagramConnector.verify(request, context);
  return instagramConnector.normalise(request, context).events.map((event) => canonicalEventSchema.parse(event));
}

describe('instagram connector: in', () => {
  it('is registered under /webhooks/instagram', () => {
    expect(connectorFor('instagram')).toBe(instagramConnector);
    expect(instagramConnector.actionTypes).toEqual(['reply']);
  });

  it('refuses wrong and missing signatures, and answers the handshake', () => {
    const context = contextWith(baseSettings);
    expect(() =>
      instagramConnector.verify(
        inbound('instagram', { body: comments, headers: { 'x-hub-signature-256': `sha256=${hmacHex('x', comments)}` } }),
        context,
      ),
    ).toThrow(SignatureError);
    expect(() => instagramConnector.verify(inbound('instagram', { body: comments }), context)).toThrow(SignatureError);
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'test-verify-token', 'hub.challenge': '987' };
    expect(instagramConnector.handshake?.(inbound('instagram', { method: 'GET', query }), context)?.body).toBe('987');
    expect(
      instagramConnector.handshake?.(inbound('instagram', { method: 'GET', query: { ...query, 'hub.verify_token': 'no' } }), context)
        ?.status,
    ).toBe(403);
  });

  it('normalises a comment field by field', () => {
    const [comment] = normalise(comments);
    expect(comment).toEqual({
      id: 'instagram:17865799348089039',
      platform: 'instagram',
      kind: 'comment',
      text: 'Do you ship to Norway?',
      author: { id: '232323232', handle: 'sara.lindqvist', isSelf: false },
      channel: { id: '17841405822304914' },
      thread: { id: '17887498072083520' },
      createdAt: '2026-11-22T10:00:00.000Z',
      receivedAt: '2026-11-22T10:01:00.000Z',
      meta: {
        commentId: '17865799348089039',
        field: 'comments',
        mediaId: '17887498072083520',
        mediaProductType: 'FEED',
        replyTargetId: '17865799348089039',
      },
    });
  });

  it("turns each change into its own event: the account's own reply is isSelf, a mention keeps its ids", () => {
    const [, ownReply, mention] = normalise(comments);
    expect(ownReply).toMatchObject({
      id: 'instagram:17912345678901234',
      kind: 'reply',
      author: { id: '17841405822304914', handle: 'harbourcoffee', isSelf: true },
      thread: { id: '17887498072083520', replyToId: '17865799348089039' },
      meta: { replyTargetId: '17865799348089039' },
    });
    expect(mention).toMatchObject({
      id: 'instagram:mention:17894227972186120',
      kind: 'mention',
      thread: { id: '17918195224117851' },
      meta: { mediaId: '17918195224117851', commentId: '17894227972186120' },
    });
  });

  it('marks a commenter as self when FOGHORN_INSTAGRAM_ACCOUNT_ID names them', () => {
    const [comment] = normalise(comments, { ...baseSettings, FOGHORN_INSTAGRAM_ACCOUNT_ID: '232323232' });
    expect(comment?.author.isSelf).toBe(true);
  });

  it("turns Direct messages into dm events, the echo of the account's own answer isSelf", () => {
    const [incoming, echo] = normalise(messaging);
    expect(incoming).toMatchObject({
      id: 'instagram:aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA1',
      kind: 'dm',
      text: 'Hi! Is the red mug back in stock?',
      author: { id: '1130984756029384', isSelf: false },
      channel: { id: '17841405822304914' },
      thread: { id: '1130984756029384' },
      meta: { recipientId: '1130984756029384' },
    });
    expect(echo).toMatchObject({ author: { id: '17841405822304914', isSelf: true }, thread: { id: '1130984756029384' } });
  });
});

describe('instagram connector: out', () => {
  let api: Awaited<ReturnType<typeof startLoopback>>;
  let answer = { status: 200, headers: {} as Record<string, string>, body: '{"id":"17999000000000001"}' };
  beforeAll(async () => {
    api = await startLoopback(() => answer);
  });
  afterAll(async () => {
    await api.close();
  });
  const outContext = () =>
    contextWith({ ...baseSettings, FOGHORN_META_PAGE_TOKEN: 'page-token', FOGHORN_META_API_URL: `${api.url}/v21.0/` });

  it('replies under the top-level comment with POST /{comment-id}/replies', async () => {
    const [comment, ownReply] = normalise(comments);
    for (const event of [comment!, ownReply!]) {
      const command = commandFor(event, 'reply', { text: 'Yes, we ship to Norway.' });
      const response = await sendOver(instagramConnector.buildRequest(command, outContext()));
      const received = api.received.at(-1)!;
      expect(received.method).toBe('POST');
      expect(received.url).toBe('/v21.0/17865799348089039/replies');
      expect(received.headers.authorization).toBe('Bearer page-token');
      expect(JSON.parse(received.body)).toEqual({ message: 'Yes, we ship to Norway.' });
      expect(instagramConnector.interpretResponse(response, command, outContext())).toEqual({ externalId: '17999000000000001' });
    }
  });

  it('answers a Direct message through the Send API', async () => {
    const [incoming] = normalise(messaging);
    await sendOver(instagramConnector.buildRequest(commandFor(incoming!, 'reply', { text: 'Back on Friday!' }), outContext()));
    const received = api.received.at(-1)!;
    expect(received.url).toBe('/v21.0/me/messages');
    expect(JSON.parse(received.body)).toEqual({ recipient: { id: '1130984756029384' }, message: { text: 'Back on Friday!' } });
  });

  it('reads a business-use-case throttle as transient and a deleted comment as permanent', async () => {
    const [comment] = normalise(comments);
    const command = commandFor(comment!, 'reply');
    answer = {
      status: 400,
      headers: {
        'x-business-use-case-usage': JSON.stringify({
          '17841405822304914': [{ type: 'instagram', call_count: 100, estimated_time_to_regain_access: 3 }],
        }),
      },
      body: JSON.stringify({ error: { message: 'User request limit reached', type: 'OAuthException', code: 80002, fbtrace_id: 'A1' } }),
    };
    const limited = await sendOver(instagramConnector.buildRequest(command, outContext()));
    let error: unknown;
    try {
      instagramConnector.interpretResponse(limited, command, outContext());
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TransientActionError);
    expect((error as TransientActionError).retryAfterMs).toBe(180_000);

    answer = {
      status: 400,
      headers: {},
      body: JSON.stringify({
        error: {
          message: "Unsupported post request. Object with ID '17865799348089039' does not exist",
          type: 'GraphMethodException',
          code: 100,
          error_subcode: 33,
        },
      }),
    };
    const gone = await sendOver(instagramConnector.buildRequest(command, outContext()));
    expect(() => instagramConnector.interpretResponse(gone, command, outContext())).toThrow(PermanentActionError);
    expect(() => instagramConnector.interpretResponse(gone, command, outContext())).toThrow(/does not exist/);
    answer = { status: 200, headers: {}, body: '{"id":"17999000000000001"}' };
  });

  it('offers no post (Instagram publishing needs media)', () => {
    const [comment] = normalise(comments);
    expect(() => instagramConnector.buildRequest(commandFor(comment!, 'post'), outContext())).toThrow(PermanentActionError);
  });
});

describe('instagram connector: malformed but signed payloads', () => {
  it('never crashes: each mutated payload yields canonical events keeping their ids, or a 4xx naming what is wrong', () => {
    const read = normalisedBy(instagramConnector, contextWith(baseSettings));
    fc.assert(
      fc.property(fc.oneof(fixtureMutations(comments), fixtureMutations(messaging)), (mutation) =>
        expectEventsOrNamedRefusal(read, mutation),
      ),
      { numRuns: 300 },
    );
  });
});

const EXCLUDED: string[] = ['FOGHORN_META_PAGE_ID']; // shared Meta code; only Facebook posts to a Page;

describe('instagram connector: documentation', () => {
  it('documents every setting it reads in docs/platforms/instagram.md', () => {
    const page = docPage('instagram');
    const names = [
      ...instagramConnector.inboundSettings,
      ...instagramConnector.outboundSettings,
      ...settingNamesIn('meta', 'instagram').filter((name) => !EXCLUDED.includes(name)),
    ];
    expect(names.filter((name) => !page.includes(`\`${name}\``))).toEqual([]);
  });
});

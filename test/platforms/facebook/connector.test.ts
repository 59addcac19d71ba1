import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentActionError, SignatureError, TransientActionError } from '../../../functions/core/errors.js';
import { type CanonicalEvent, canonicalEventSchema } from '../../../functions/core/event.js';
import { facebookConnector } from '../../../functions/platforms/facebook/index.js';
import { connectorFor } from '../../../functions/platforms/index.js';
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
const feed = fixtureBytes(new URL('./fixtures/feed-comments.json', import.meta.url));
const messenger = fixtureBytes(new URL('./fixtures/messenger.json', import.meta.url));

function signed(body: Buffer) {
  return inbound('facebook', {
    body,
    headers: { 'x-hub-signature-256': `sha256=${hmacHex(SECRET, body)}`, 'content-type': 'application/json' },
  });
}

function normalise(body: Buffer, settings: Record<string, string> = baseSettings): CanonicalEvent[] {
  const context = contextWith(settings);
  const request = signed(body);
  facebookConnector.verify(request, context);
  return facebookConnector.normalise(request, context).events.map((event) => canonicalEventSchema.parse(event));
}

describe('facebook connector: in', () => {
  it('is registered under /webhooks/facebook with the Meta settings', () => {
    expect(connectorFor('facebook')).toBe(facebookConnector);
    expect(facebookConnector.inboundSettings).toEqual(['FOGHORN_META_APP_SECRET', 'FOGHORN_META_VERIFY_TOKEN']);
    expect(facebookConnector.outboundSettings).toEqual(['FOGHORN_META_PAGE_TOKEN']);
  });

  it('refuses the delivery when the signature is wrong or missing', () => {
    const context = contextWith(baseSettings);
    const wrong = inbound('facebook', { body: feed, headers: { 'x-hub-signature-256': `sha256=${hmacHex('other', feed)}` } });
    expect(() => facebookConnector.verify(wrong, context)).toThrow(SignatureError);
    expect(() => facebookConnector.verify(inbound('facebook', { body: feed }), context)).toThrow(SignatureError);
  });

  it('answers the subscription handshake only with the right verify token', () => {
    const context = contextWith(baseSettings);
    const query = { 'hub.mode': 'subscribe', 'hub.challenge': 'challenge-42' };
    expect(
      facebookConnector.handshake?.(
        inbound('facebook', { method: 'GET', query: { ...query, 'hub.verify_token': 'test-verify-token' } }),
        context,
      ),
    ).toMatchObject({ status: 200, body: 'challenge-42' });
    expect(
      facebookConnector.handshake?.(inbound('facebook', { method: 'GET', query: { ...query, 'hub.verify_token': 'nope' } }), context)
        ?.status,
    ).toBe(403);
  });

  it('turns every added comment and post of a multi-entry delivery into its own event, and skips edits and reactions', () => {
    const events = normalise(feed);
    expect(events.map((event) => [event.id, event.kind])).toEqual([
      ['facebook:912837465019283_1029384756102938', 'comment'],
      ['facebook:912837465019283_5647382910564738', 'reply'],
      ['facebook:104857392019283_918273645501928', 'post'],
    ]);
  });

  it('normalises a comment field by field', () => {
    const [comment] = normalise(feed);
    expect(comment).toEqual({
      id: 'facebook:912837465019283_1029384756102938',
      platform: 'facebook',
      kind: 'comment',
      text: 'Are you open on Sunday?',
      author: { id: '7391028475610293', name: 'Sara Lindqvist', isSelf: false },
      channel: { id: '104857392019283' },
      thread: { id: '104857392019283_912837465019283', replyToId: '104857392019283_912837465019283' },
      createdAt: '2026-11-22T09:59:58.000Z',
      receivedAt: '2026-11-22T10:01:00.000Z',
      url: 'https://www.facebook.com/104857392019283/posts/pfbid02abcXYZ',
      meta: {
        commentId: '912837465019283_1029384756102938',
        postId: '104857392019283_912837465019283',
        parentId: '104857392019283_912837465019283',
        replyTargetId: '912837465019283_1029384756102938',
      },
    });
  });

  it("marks the Page's own comments and posts as isSelf and points replies to replies at the top-level comment", () => {
    const [, pageReply, pagePost] = normalise(feed);
    expect(pageReply?.author).toEqual({ id: '104857392019283', name: 'Harbour Coffee', isSelf: true });
    expect(pageReply?.thread).toEqual({ id: '104857392019283_912837465019283', replyToId: '912837465019283_1029384756102938' });
    expect(pageReply?.meta?.replyTargetId).toBe('912837465019283_1029384756102938');
    expect(pagePost?.author.isSelf).toBe(true);
    expect(pagePost?.text).toBe('New winter menu from Monday');
  });

  it("turns Messenger messages into dm events, skips receipts and unsent messages, and recognises Foghorn's own echo", () => {
    const [incoming, echo, ...rest] = normalise(messenger, { ...baseSettings, FOGHORN_META_APP_ID: '1517293846501928' });
    expect(rest).toEqual([]);
    expect(incoming).toEqual({
      id: 'facebook:m_Zx8wQk3lR2VbXy1-9aTqJc0uYhP4sNn7eLrGf6Ds5KmW',
      platform: 'facebook',
      kind: 'dm',
      text: 'Where is my order #4411?',
      author: { id: '6029384756120394', isSelf: false },
      channel: { id: '104857392019283' },
      thread: { id: '6029384756120394', replyToId: 'm_Pq2wE4rT6yU8iO0pA1sD3fG5hJ7kL9zX' },
      createdAt: '2026-11-22T10:00:59.876Z',
      receivedAt: '2026-11-22T10:01:00.000Z',
      meta: { messageId: 'm_Zx8wQk3lR2VbXy1-9aTqJc0uYhP4sNn7eLrGf6Ds5KmW', recipientId: '6029384756120394' },
    });
    expect(echo).toMatchObject({
      author: { id: '104857392019283', isSelf: true },
      sentByFoghorn: true,
      thread: { id: '6029384756120394' },
    });
  });

  it('quarantines what it cannot read: not JSON is a 400, a wrong object or shape a 422', () => {
    const context = contextWith(baseSettings);
    const read = (text: string) => () => facebookConnector.normalise(inbound('facebook', { body: text }), context);
    expect(read('not json')).toThrow(expect.objectContaining({ status: 400 }));
    expect(read('{"object":"instagram","entry":[]}')).toThrow(/expected 'page'/);
    expect(read('{"object":"page","entry":[{"id":"1","changes":[{"field":"feed","value":{"verb":"add"}}]}]}')).toThrow(
      /entry\.0\.changes\.0\.value\.item/,
    );
  });
});

describe('facebook connector: out', () => {
  let api: Awaited<ReturnType<typeof startLoopback>>;
  let answer = { status: 200, body: '{"id":"912837465019283_8888"}', headers: {} as Record<string, string> };
  beforeAll(async () => {
    api = await startLoopback(() => answer);
  });
  afterAll(async () => {
    await api.close();
  });
  const outSettings = () => ({ ...baseSettings, FOGHORN_META_PAGE_TOKEN: 'page-token-123', FOGHORN_META_API_URL: `${api.url}/v21.0` });

  it('replies to a comment under the top-level comment, with the Page token', async () => {
    const [, pageReply] = normalise(feed);
    const context = contextWith(outSettings());
    const command = commandFor(pageReply!, 'reply', { text: 'Glad to help!' });
    const response = await sendOver(facebookConnector.buildRequest(command, context));
    const received = api.received.at(-1)!;
    expect(received.method).toBe('POST');
    expect(received.url).toBe('/v21.0/912837465019283_1029384756102938/comments');
    expect(received.headers.authorization).toBe('Bearer page-token-123');
    expect(JSON.parse(received.body)).toEqual({ message: 'Glad to help!' });
    expect(facebookConnector.interpretResponse(response, command, context)).toEqual({ externalId: '912837465019283_8888' });
  });

  it('answers a Messenger message through the Send API, tagged so the echo is recognised', async () => {
    const [incoming] = normalise(messenger);
    const command = commandFor(incoming!, 'reply', { text: 'Your order ships today.' });
    await sendOver(facebookConnector.buildRequest(command, contextWith(outSettings())));
    const received = api.received.at(-1)!;
    expect(received.url).toBe('/v21.0/104857392019283/messages');
    expect(JSON.parse(received.body)).toEqual({
      recipient: { id: '6029384756120394' },
      messaging_type: 'RESPONSE',
      message: { text: 'Your order ships today.', metadata: `foghorn:${command.id}` },
    });
  });

  it('posts to the configured Page feed, or to params.channel', async () => {
    const [comment] = normalise(feed);
    const context = contextWith({ ...outSettings(), FOGHORN_META_PAGE_ID: '555' });
    await sendOver(facebookConnector.buildRequest(commandFor(comment!, 'post', { text: 'We are open Sunday.' }), context));
    expect(api.received.at(-1)!.url).toBe('/v21.0/555/feed');
    expect(JSON.parse(api.received.at(-1)!.body)).toEqual({ message: 'We are open Sunday.' });
    await sendOver(facebookConnector.buildRequest(commandFor(comment!, 'post', { text: 'x', channel: '777' }), context));
    expect(api.received.at(-1)!.url).toBe('/v21.0/777/feed');
  });

  it('builds the request with a visible placeholder when the token is missing (sandbox)', () => {
    const [comment] = normalise(feed);
    const request = facebookConnector.buildRequest(commandFor(comment!, 'reply'), contextWith(baseSettings));
    expect(request.url).toBe('https://graph.facebook.com/v21.0/912837465019283_1029384756102938/comments');
    expect(request.headers.authorization).toBe('Bearer <FOGHORN_META_PAGE_TOKEN>');
  });

  it('reads a 429 with Retry-After as transient and an expired token as permanent', async () => {
    const [comment] = normalise(feed);
    const context = contextWith(outSettings());
    const command = commandFor(comment!, 'reply');
    answer = {
      status: 429,
      headers: { 'retry-after': '30' },
      body: JSON.stringify({ error: { message: '(#4) Application request limit reached', type: 'OAuthException', code: 4 } }),
    };
    const limited = await sendOver(facebookConnector.buildRequest(command, context));
    expect(() => facebookConnector.interpretResponse(limited, command, context)).toThrow(TransientActionError);
    try {
      facebookConnector.interpretResponse(limited, command, context);
    } catch (error) {
      expect((error as TransientActionError).retryAfterMs).toBe(30_000);
    }

    answer = {
      status: 400,
      headers: {},
      body: JSON.stringify({
        error: {
          message: 'Error validating access token: The session has been invalidated',
          type: 'OAuthException',
          code: 190,
          error_subcode: 460,
        },
      }),
    };
    const invalid = await sendOver(facebookConnector.buildRequest(command, context));
    expect(() => facebookConnector.interpretResponse(invalid, command, context)).toThrow(PermanentActionError);
    expect(() => facebookConnector.interpretResponse(invalid, command, context)).toThrow(/190\/460.*session has been invalidated/);
    answer = { status: 200, body: '{"id":"912837465019283_8888"}', headers: {} };
  });

  it('refuses a command with no text or an unknown type, permanently', () => {
    const [comment] = normalise(feed);
    const context = contextWith(outSettings());
    expect(() => facebookConnector.buildRequest(commandFor(comment!, 'reply', {}), context)).toThrow(PermanentActionError);
    expect(() => facebookConnector.buildRequest(commandFor(comment!, 'react'), context)).toThrow(/cannot perform 'react'/);
  });
});

describe('facebook connector: malformed but signed payloads', () => {
  it('never crashes: each mutated payload yields canonical events keeping their ids, or a 4xx naming what is wrong', () => {
    const read = normalisedBy(facebookConnector, contextWith(baseSettings));
    fc.assert(
      fc.property(fc.oneof(fixtureMutations(feed), fixtureMutations(messenger)), (mutation) => expectEventsOrNamedRefusal(read, mutation)),
      { numRuns: 300 },
    );
  });
});

const EXCLUDED: string[] = [];

describe('facebook connector: documentation', () => {
  it('documents every setting it reads in docs/platforms/facebook.md', () => {
    const page = docPage('facebook');
    const names = [
      ...facebookConnector.inboundSettings,
      ...facebookConnector.outboundSettings,
      ...settingNamesIn('meta', 'facebook').filter((name) => !EXCLUDED.includes(name)),
    ];
    expect(names.filter((name) => !page.includes(`\`${name}\``))).toEqual([]);
  });
});

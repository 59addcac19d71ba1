import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  NormaliseError,
  NotConfiguredError,
  PermanentActionError,
  SignatureError,
  TransientActionError,
} from '../../../functions/core/errors.js';
import { type CanonicalEvent, canonicalEventSchema } from '../../../functions/core/event.js';
import { connectorFor } from '../../../functions/platforms/index.js';
import { xConnector } from '../../../functions/platforms/x/index.js';
import {
  commandFor,
  contextWith,
  docPage,
  fixtureBytes,
  fixtureMutations,
  hmacBase64,
  inbound,
  normalisedBy,
  sendOver,
  settingNamesIn,
} from '../../support/connector-harness.js';
import { startLoopback } from '../../support/loopback.js';
import { expectEventsOrNamedRefusal } from '../../support/mutate-json.js';

const SECRET = 'test-consumer-secret';
const baseSettings = { FOGHORN_X_CONSUMER_SECRET: SECRET };
const tweets = fixtureBytes(new URL('./fixtures/tweet-create.json', import.meta.url));
const dms = fixtureBytes(new URL('./fixtures/direct-messages.json', import.meta.url));

function normalise(body: Buffer, settings: Record<string, string> = baseSettings): CanonicalEvent[] {
  const context = contextWith(settings);
  const request = inbound('x', { body, headers: { 'x-twitter-webhooks-signature': `sha256=${hmacBase64(SECRET, body)}` } });
  xConnector.verify(request, context);
  return xConnector.normalise(request, context).events.map((event) => canonicalEventSchema.parse(event));
}

describe('x connector: in', () => {
  it('is registered under /webhooks/x', () => {
    expect(connectorFor('x')).toBe(xConnector);
    expect(xConnector.inboundSettings).toEqual(['FOGHORN_X_CONSUMER_SECRET']);
    expect(xConnector.outboundSettings).toEqual(['FOGHORN_X_BEARER_TOKEN']);
  });

  it('answers the CRC with sha256=base64(HMAC-SHA256(consumer secret, crc_token))', () => {
    const answer = xConnector.handshake?.(
      inbound('x', { method: 'GET', query: { crc_token: 'challenge-token-1' } }),
      contextWith(baseSettings),
    );
    expect(answer).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: { response_token: `sha256=${hmacBase64(SECRET, 'challenge-token-1')}` },
    });
    // Pinned, so a change in encoding (hex, url-safe base64) is caught: HMAC-SHA256("test-consumer-secret", "challenge-token-1"), base64.
    expect((answer?.body as { response_token: string } | undefined)?.response_token).toBe(
      'sha256=J65IA92BfteQT/AG8aJLQgcJ79QqRkx3G0woQRKq4zc=',
    );
    expect(xConnector.handshake?.(inbound('x', { method: 'POST', body: tweets }), contextWith(baseSettings))).toBeUndefined();
    expect(() => xConnector.handshake?.(inbound('x', { method: 'GET', query: { crc_token: 'a' } }), contextWith({}))).toThrow(
      NotConfiguredError,
    );
  });

  it('refuses wrong, malformed and missing signatures', () => {
    const context = contextWith(baseSettings);
    const attempt = (headers: Record<string, string>) => () => xConnector.verify(inbound('x', { body: tweets, headers }), context);
    expect(attempt({ 'x-twitter-webhooks-signature': `sha256=${hmacBase64('other', tweets)}` })).toThrow(SignatureError);
    expect(attempt({ 'x-twitter-webhooks-signature': hmacBase64(SECRET, tweets) })).toThrow(SignatureError);
    expect(attempt({})).toThrow(/missing x-twitter-webhooks-signature/);
  });

  it('normalises a mention that quotes the account, field by field, with the full and quoted text', () => {
    const [mention] = normalise(tweets);
    expect(mention).toEqual({
      id: 'x:1992164035913760768',
      platform: 'x',
      kind: 'mention',
      text: '@HarbourCoffee my flat white was cold again, third time this week. Is anyone reading these? Your own promise below:\n\nEvery coffee served at the right temperature, guaranteed.',
      lang: 'en',
      author: { id: '3805104374', handle: 'jonas_e', name: 'Jonas Eriksen', followers: 15230, verified: false, isSelf: false },
      channel: { id: '2244994945' },
      thread: {},
      createdAt: '2026-11-22T09:59:58.000Z',
      receivedAt: '2026-11-22T10:01:00.000Z',
      url: 'https://x.com/jonas_e/status/1992164035913760768',
      meta: {
        tweetId: '1992164035913760768',
        quotedTweetId: '1991800000000000000',
        quotedText: 'Every coffee served at the right temperature, guaranteed.',
      },
    });
  });

  it("marks the account's own reply as isSelf, keeps its reply-to id, and drops the undetermined language", () => {
    const [, own] = normalise(tweets, { ...baseSettings, FOGHORN_X_USER_ID: '2244994945' });
    expect(own).toMatchObject({
      id: 'x:1992164128654016512',
      kind: 'reply',
      author: { id: '2244994945', handle: 'HarbourCoffee', verified: true, followers: 48211, isSelf: true },
      thread: { replyToId: '1992164035913760768' },
      meta: { inReplyToUserId: '3805104374' },
    });
    expect(own?.lang).toBeUndefined();
    expect(own?.sentByFoghorn).toBeUndefined();
  });

  it("recognises the account's post as Foghorn's when its source names FOGHORN_X_APP_NAME, and only then", () => {
    const [mention, own] = normalise(tweets, { ...baseSettings, FOGHORN_X_APP_NAME: 'Foghorn' });
    expect(own?.sentByFoghorn).toBe(true);
    expect(mention?.sentByFoghorn).toBeUndefined();
    const [, other] = normalise(tweets, { ...baseSettings, FOGHORN_X_APP_NAME: 'Twitter for iPhone' });
    expect(other?.sentByFoghorn).toBeUndefined();
  });

  it('refuses a delivery for another account than FOGHORN_X_USER_ID', () => {
    expect(() => normalise(tweets, { ...baseSettings, FOGHORN_X_USER_ID: '42' })).toThrow(NormaliseError);
  });

  it("turns DMs into dm events with the sender's profile, and recognises Foghorn's own by its app id", () => {
    const [incoming, own] = normalise(dms, { ...baseSettings, FOGHORN_X_APP_ID: '26812345' });
    expect(incoming).toEqual({
      id: 'x:1992170000000000001',
      platform: 'x',
      kind: 'dm',
      text: 'Order 4411, paid by card',
      author: { id: '3805104374', handle: 'jonas_e', name: 'Jonas Eriksen', followers: 15230, verified: false, isSelf: false },
      channel: { id: '2244994945' },
      thread: { id: '3805104374' },
      createdAt: '2026-11-22T10:01:40.123Z',
      receivedAt: '2026-11-22T10:01:00.000Z',
      meta: { dmEventId: '1992170000000000001', recipientId: '3805104374' },
    });
    expect(own).toMatchObject({ author: { id: '2244994945', isSelf: true }, sentByFoghorn: true, thread: { id: '3805104374' } });
  });
});

describe('x connector: out', () => {
  let api: Awaited<ReturnType<typeof startLoopback>>;
  let answer = {
    status: 201,
    headers: {} as Record<string, string>,
    body: JSON.stringify({ data: { id: '1992164999999999999', edit_history_tweet_ids: ['1992164999999999999'], text: '…' } }),
  };
  beforeAll(async () => {
    api = await startLoopback(() => answer);
  });
  afterAll(async () => {
    await api.close();
  });
  const outContext = () =>
    contextWith(
      { ...baseSettings, FOGHORN_X_BEARER_TOKEN: 'user-token', FOGHORN_X_API_URL: api.url },
      new Date('2026-11-22T10:01:00.000Z'),
    );

  it('replies in the conversation with reply.in_reply_to_tweet_id', async () => {
    const [mention] = normalise(tweets);
    const command = commandFor(mention!, 'reply', { text: '@jonas_e So sorry, Jonas. DM us?' });
    const response = await sendOver(xConnector.buildRequest(command, outContext()));
    const received = api.received.at(-1)!;
    expect(received.method).toBe('POST');
    expect(received.url).toBe('/2/tweets');
    expect(received.headers.authorization).toBe('Bearer user-token');
    expect(JSON.parse(received.body)).toEqual({
      text: '@jonas_e So sorry, Jonas. DM us?',
      reply: { in_reply_to_tweet_id: '1992164035913760768' },
    });
    expect(xConnector.interpretResponse(response, command, outContext())).toEqual({ externalId: '1992164999999999999' });
  });

  it('answers a DM in its conversation and posts a new post', async () => {
    const [incoming] = normalise(dms);
    await sendOver(xConnector.buildRequest(commandFor(incoming!, 'reply', { text: 'Refund sent.' }), outContext()));
    expect(api.received.at(-1)!.url).toBe('/2/dm_conversations/with/3805104374/messages');
    expect(JSON.parse(api.received.at(-1)!.body)).toEqual({ text: 'Refund sent.' });
    await sendOver(xConnector.buildRequest(commandFor(incoming!, 'post', { text: 'Winter menu is here.' }), outContext()));
    expect(api.received.at(-1)!.url).toBe('/2/tweets');
    expect(JSON.parse(api.received.at(-1)!.body)).toEqual({ text: 'Winter menu is here.' });
  });

  it('waits until x-rate-limit-reset after a 429', async () => {
    const [mention] = normalise(tweets);
    const command = commandFor(mention!, 'reply');
    const reset = Math.floor(new Date('2026-11-22T10:13:30.000Z').getTime() / 1000);
    answer = {
      status: 429,
      headers: { 'x-rate-limit-limit': '200', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) },
      body: JSON.stringify({ title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 }),
    };
    const limited = await sendOver(xConnector.buildRequest(command, outContext()));
    let error: unknown;
    try {
      xConnector.interpretResponse(limited, command, outContext());
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TransientActionError);
    expect((error as TransientActionError).retryAfterMs).toBe(12.5 * 60_000);
  });

  it("reads a duplicate or an unauthorised post as permanent, in X's words", async () => {
    const [mention] = normalise(tweets);
    const command = commandFor(mention!, 'reply');
    answer = {
      status: 403,
      headers: {},
      body: JSON.stringify({
        detail: 'You are not allowed to create a Tweet with duplicate content.',
        type: 'about:blank',
        title: 'Forbidden',
        status: 403,
      }),
    };
    const duplicate = await sendOver(xConnector.buildRequest(command, outContext()));
    expect(() => xConnector.interpretResponse(duplicate, command, outContext())).toThrow(PermanentActionError);
    expect(() => xConnector.interpretResponse(duplicate, command, outContext())).toThrow(
      'X API answered 403: You are not allowed to create a Tweet with duplicate content.',
    );
    answer = { status: 503, headers: {}, body: 'Service Unavailable' };
    const down = await sendOver(xConnector.buildRequest(command, outContext()));
    expect(() => xConnector.interpretResponse(down, command, outContext())).toThrow(TransientActionError);
  });

  it('uses a placeholder token when none is configured (sandbox)', () => {
    const [mention] = normalise(tweets);
    const request = xConnector.buildRequest(commandFor(mention!, 'reply'), contextWith(baseSettings));
    expect(request.url).toBe('https://api.x.com/2/tweets');
    expect(request.headers.authorization).toBe('Bearer <FOGHORN_X_BEARER_TOKEN>');
  });
});

describe('x connector: malformed but signed payloads', () => {
  it('never crashes: each mutated payload yields canonical events keeping their ids, or a 4xx naming what is wrong', () => {
    const read = normalisedBy(xConnector, contextWith(baseSettings));
    fc.assert(
      fc.property(fc.oneof(fixtureMutations(tweets), fixtureMutations(dms)), (mutation) => expectEventsOrNamedRefusal(read, mutation)),
      { numRuns: 300 },
    );
  });
});

const EXCLUDED: string[] = [];

describe('x connector: documentation', () => {
  it('documents every setting it reads in docs/platforms/x.md', () => {
    const page = docPage('x');
    const names = [
      ...xConnector.inboundSettings,
      ...xConnector.outboundSettings,
      ...settingNamesIn('x').filter((name) => !EXCLUDED.includes(name)),
    ];
    expect(names.filter((name) => !page.includes(`\`${name}\``))).toEqual([]);
  });
});

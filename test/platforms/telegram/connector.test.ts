import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotConfiguredError, PermanentActionError, SignatureError, TransientActionError } from '../../../functions/core/errors.js';
import { type CanonicalEvent, canonicalEventSchema } from '../../../functions/core/event.js';
import { connectorFor } from '../../../functions/platforms/index.js';
import { telegramConnector } from '../../../functions/platforms/telegram/index.js';
import {
  commandFor,
  contextWith,
  docPage,
  fixtureBytes,
  fixtureMutations,
  inbound,
  normalisedBy,
  sendOver,
  settingNamesIn,
} from '../../support/connector-harness.js';
import { startLoopback } from '../../support/loopback.js';
import { expectEventsOrNamedRefusal } from '../../support/mutate-json.js';

const SECRET = 'test-secret-token_42';
const BOT_TOKEN = '7012345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const baseSettings = { FOGHORN_TELEGRAM_SECRET_TOKEN: SECRET, FOGHORN_TELEGRAM_BOT_TOKEN: BOT_TOKEN };
const fixture = (name: string) => fixtureBytes(new URL(`./fixtures/${name}.json`, import.meta.url));

function normalise(body: Buffer, settings: Record<string, string> = baseSettings): CanonicalEvent[] {
  const context = contextWith(settings);
  const request = inbound('telegram', { body, headers: { 'x-telegram-bot-api-secret-token': SECRET } });
  telegramConnector.verify(request, context);
  return telegramConnector.normalise(request, context).events.map((event) => canonicalEventSchema.parse(event));
}

describe('telegram connector: in', () => {
  it('is registered under /webhooks/telegram and has no handshake', () => {
    expect(connectorFor('telegram')).toBe(telegramConnector);
    expect(telegramConnector.handshake).toBeUndefined();
    expect(telegramConnector.inboundSettings).toEqual(['FOGHORN_TELEGRAM_SECRET_TOKEN']);
  });

  it('refuses a wrong, missing or unconfigured secret token', () => {
    const body = fixture('group-reply');
    const attempt =
      (headers: Record<string, string>, settings = baseSettings as Record<string, string>) =>
      () =>
        telegramConnector.verify(inbound('telegram', { body, headers }), contextWith(settings));
    expect(attempt({ 'x-telegram-bot-api-secret-token': 'test-secret-token_43' })).toThrow(SignatureError);
    expect(attempt({ 'x-telegram-bot-api-secret-token': 'short' })).toThrow(SignatureError);
    expect(attempt({})).toThrow(/missing x-telegram-bot-api-secret-token/);
    expect(attempt({ 'x-telegram-bot-api-secret-token': SECRET }, {})).toThrow(NotConfiguredError);
  });

  it('normalises a forum-topic reply to the bot field by field, with the quoted part', () => {
    const [event, ...rest] = normalise(fixture('group-reply'));
    expect(rest).toEqual([]);
    expect(event).toEqual({
      id: 'telegram:912384756',
      platform: 'telegram',
      kind: 'reply',
      text: 'and on Saturdays?\n\n7 to 19 on weekdays',
      author: { id: '584930271', handle: 'ainov', name: 'Aino Virtanen', isSelf: false },
      channel: { id: '-1001928374650', name: 'Harbour Coffee Community' },
      thread: { id: '5400', replyToId: '5519' },
      createdAt: '2026-11-22T09:59:58.000Z',
      receivedAt: '2026-11-22T10:01:00.000Z',
      url: 'https://t.me/harbourcoffee_chat/5521',
      meta: {
        updateId: 912384756,
        messageId: 5521,
        chatId: -1001928374650,
        chatType: 'supergroup',
        messageThreadId: 5400,
        quotedText: '7 to 19 on weekdays',
        userLanguage: 'fi',
      },
    });
  });

  it("reads a private photo's caption as a dm, a channel post as a post by its channel", () => {
    const [dm] = normalise(fixture('private-photo'));
    expect(dm).toMatchObject({
      id: 'telegram:912384757',
      kind: 'dm',
      text: 'the lid of my cup, broken',
      channel: { id: '584930271', name: 'Aino', direct: true },
      thread: {},
    });
    const [post] = normalise(fixture('channel-post'));
    expect(post).toMatchObject({
      id: 'telegram:912384758',
      kind: 'post',
      text: 'Winter menu starts Monday',
      author: { id: '-1001122334455', handle: 'harbourcoffee', name: 'Mia', isSelf: false },
      channel: { id: '-1001122334455', name: 'Harbour Coffee News' },
      url: 'https://t.me/harbourcoffee/310',
    });
    expect(post?.channel.direct).toBeUndefined();
  });

  it("recognises the bot's own (edited) message by the id in its token, and a mention by its username", () => {
    const [own] = normalise(fixture('group-mention-edited'), { ...baseSettings, FOGHORN_TELEGRAM_BOT_USERNAME: 'harbour_help_bot' });
    expect(own).toMatchObject({ kind: 'mention', author: { id: '7012345678', isSelf: true }, sentByFoghorn: true, meta: { edited: true } });
    const [other] = normalise(fixture('group-mention-edited'), { ...baseSettings, FOGHORN_TELEGRAM_BOT_TOKEN: '999:zzz' });
    expect(other).toMatchObject({ kind: 'message', author: { isSelf: false } });
    expect(other?.sentByFoghorn).toBeUndefined();
  });

  it('ignores updates that carry no message, and names the field it cannot read', () => {
    const context = contextWith(baseSettings);
    const read = (body: string) => telegramConnector.normalise(inbound('telegram', { body }), context);
    expect(read('{"update_id":1,"callback_query":{"id":"4382","data":"x"}}').events).toEqual([]);
    expect(() => read('{"update_id":2,"message":{"message_id":1,"date":1,"chat":{"type":"private"}}}')).toThrow(
      /update\.message\.chat\.id/,
    );
    expect(() => read('{"update_id":')).toThrow(expect.objectContaining({ status: 400 }));
  });
});

describe('telegram connector: out', () => {
  let api: Awaited<ReturnType<typeof startLoopback>>;
  let answer = {
    status: 200,
    headers: {} as Record<string, string>,
    body: JSON.stringify({
      ok: true,
      result: { message_id: 5522, chat: { id: -1001928374650, type: 'supergroup' }, date: 1795341661, text: '…' },
    }),
  };
  beforeAll(async () => {
    api = await startLoopback(() => answer);
  });
  afterAll(async () => {
    await api.close();
  });
  const outContext = (extra: Record<string, string> = {}) => contextWith({ ...baseSettings, FOGHORN_TELEGRAM_API_URL: api.url, ...extra });

  it('replies in the chat and topic, answering the message with reply_parameters', async () => {
    const [event] = normalise(fixture('group-reply'));
    const command = commandFor(event!, 'reply', { text: 'Saturdays 9 to 17.' });
    const response = await sendOver(telegramConnector.buildRequest(command, outContext()));
    const received = api.received.at(-1)!;
    expect(received.method).toBe('POST');
    expect(received.url).toBe(`/bot${BOT_TOKEN}/sendMessage`);
    expect(JSON.parse(received.body)).toEqual({
      chat_id: -1001928374650,
      text: 'Saturdays 9 to 17.',
      message_thread_id: 5400,
      reply_parameters: { message_id: 5521, allow_sending_without_reply: true },
    });
    expect(telegramConnector.interpretResponse(response, command, outContext())).toEqual({ externalId: '-1001928374650:5522' });
  });

  it('posts to params.channel or FOGHORN_TELEGRAM_CHANNEL, and refuses a post with neither', async () => {
    const [event] = normalise(fixture('private-photo'));
    await sendOver(
      telegramConnector.buildRequest(
        commandFor(event!, 'post', { text: 'News!' }),
        outContext({ FOGHORN_TELEGRAM_CHANNEL: '@harbourcoffee' }),
      ),
    );
    expect(JSON.parse(api.received.at(-1)!.body)).toEqual({ chat_id: '@harbourcoffee', text: 'News!' });
    await sendOver(telegramConnector.buildRequest(commandFor(event!, 'post', { text: 'News!', channel: '-1001122334455' }), outContext()));
    expect(JSON.parse(api.received.at(-1)!.body)).toEqual({ chat_id: '-1001122334455', text: 'News!' });
    expect(() => telegramConnector.buildRequest(commandFor(event!, 'post'), outContext())).toThrow(/FOGHORN_TELEGRAM_CHANNEL/);
  });

  it("waits parameters.retry_after on a 429 and gives up on a 403 with Telegram's description", async () => {
    const [event] = normalise(fixture('group-reply'));
    const command = commandFor(event!, 'reply');
    answer = {
      status: 429,
      headers: { 'retry-after': '33' },
      body: JSON.stringify({
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 33',
        parameters: { retry_after: 33 },
      }),
    };
    const limited = await sendOver(telegramConnector.buildRequest(command, outContext()));
    let error: unknown;
    try {
      telegramConnector.interpretResponse(limited, command, outContext());
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TransientActionError);
    expect((error as TransientActionError).retryAfterMs).toBe(33_000);

    answer = {
      status: 403,
      headers: {},
      body: JSON.stringify({ ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' }),
    };
    const blocked = await sendOver(telegramConnector.buildRequest(command, outContext()));
    expect(() => telegramConnector.interpretResponse(blocked, command, outContext())).toThrow(PermanentActionError);
    expect(() => telegramConnector.interpretResponse(blocked, command, outContext())).toThrow(
      'Telegram Bot API error 403: Forbidden: bot was blocked by the user',
    );
    answer = {
      status: 400,
      headers: {},
      body: JSON.stringify({ ok: false, error_code: 400, description: 'Bad Request: message to be replied not found' }),
    };
    const missing = await sendOver(telegramConnector.buildRequest(command, outContext()));
    expect(() => telegramConnector.interpretResponse(missing, command, outContext())).toThrow(PermanentActionError);
  });

  it('puts a placeholder in place of a missing bot token (sandbox)', () => {
    const [event] = normalise(fixture('group-reply'));
    const request = telegramConnector.buildRequest(commandFor(event!, 'reply'), contextWith({ FOGHORN_TELEGRAM_SECRET_TOKEN: SECRET }));
    expect(request.url).toBe('https://api.telegram.org/bot<FOGHORN_TELEGRAM_BOT_TOKEN>/sendMessage');
  });
});

describe('telegram connector: malformed but signed payloads', () => {
  it('never crashes: each mutated payload yields canonical events keeping their ids, or a 4xx naming what is wrong', () => {
    const read = normalisedBy(telegramConnector, contextWith(baseSettings));
    fc.assert(
      fc.property(fc.oneof(fixtureMutations(fixture('group-reply')), fixtureMutations(fixture('channel-post'))), (mutation) =>
        expectEventsOrNamedRefusal(read, mutation),
      ),
      { numRuns: 300 },
    );
  });
});

const EXCLUDED: string[] = [];

describe('telegram connector: documentation', () => {
  it('documents every setting it reads in docs/platforms/telegram.md', () => {
    const page = docPage('telegram');
    const names = [
      ...telegramConnector.inboundSettings,
      ...telegramConnector.outboundSettings,
      ...settingNamesIn('telegram').filter((name) => !EXCLUDED.includes(name)),
    ];
    expect(names.filter((name) => !page.includes(`\`${name}\``))).toEqual([]);
  });
});

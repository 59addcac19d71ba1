import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleLanguage } from '../../../functions/app/rule-language.js';
import { PermanentActionError, SignatureError, TransientActionError } from '../../../functions/core/errors.js';
import { type CanonicalEvent, canonicalEventSchema } from '../../../functions/core/event.js';
import { connectorFor } from '../../../functions/platforms/index.js';
import { whatsappConnector } from '../../../functions/platforms/whatsapp/index.js';
import { loadRuleSet, memoryRuleState } from '../../../functions/rules/index.js';
import { ruleDir, testConfig } from '../../rules/support.js';
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
const messages = fixtureBytes(new URL('./fixtures/messages.json', import.meta.url));

function normalise(body: Buffer): CanonicalEvent[] {
  const context = contextWith(baseSettings);
  const request = inbound('whatsapp', { body, headers: { 'x-hub-signature-256': `sha256=${hmacHex(SECRET, body)}` } });
  whatsappConnector.verify(request, context);
  return whatsappConnector.normalise(request, context).events.map((event) => canonicalEventSchema.parse(event));
}

describe('whatsapp connector: in', () => {
  it('is registered under /webhooks/whatsapp with its own outbound token', () => {
    expect(connectorFor('whatsapp')).toBe(whatsappConnector);
    expect(whatsappConnector.outboundSettings).toEqual(['FOGHORN_WHATSAPP_TOKEN']);
  });

  it('refuses wrong and missing signatures, and answers the handshake', () => {
    const context = contextWith(baseSettings);
    expect(() =>
      whatsappConnector.verify(
        inbound('whatsapp', { body: messages, headers: { 'x-hub-signature-256': `sha256=${hmacHex('x', messages)}` } }),
        context,
      ),
    ).toThrow(SignatureError);
    expect(() => whatsappConnector.verify(inbound('whatsapp', { body: messages }), context)).toThrow(SignatureError);
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'test-verify-token', 'hub.challenge': '1158201444' };
    expect(whatsappConnector.handshake?.(inbound('whatsapp', { method: 'GET', query }), context)).toMatchObject({
      status: 200,
      body: '1158201444',
    });
    expect(
      whatsappConnector.handshake?.(inbound('whatsapp', { method: 'GET', query: { ...query, 'hub.verify_token': 'x' } }), context)?.status,
    ).toBe(403);
  });

  it('turns each message of each change into one event, and status updates into none', () => {
    expect(normalise(messages).map((event) => event.id)).toEqual([
      'whatsapp:wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
      'whatsapp:wamid.HBgKNDc5MTIzNDU2NxUCABIYFDNBMDI3RTVGNjE2QkE3QzQ1RkI0AA==',
    ]);
  });

  it('normalises a text message field by field, with the contact name and the quoted message', () => {
    const [text] = normalise(messages);
    expect(text).toEqual({
      id: 'whatsapp:wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
      platform: 'whatsapp',
      kind: 'dm',
      text: 'Does it come in another colour?',
      author: { id: '16505551234', handle: '16505551234', name: 'Sheena Nelson', isSelf: false },
      channel: { id: '106540352242922', name: '15550783881' },
      thread: { id: '16505551234', replyToId: 'wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA' },
      createdAt: '2026-11-22T09:59:58.000Z',
      receivedAt: '2026-11-22T10:01:00.000Z',
      meta: {
        messageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
        phoneNumberId: '106540352242922',
        businessAccountId: '102290129340398',
        recipientId: '16505551234',
        messageType: 'text',
      },
    });
  });

  it("reads an image's caption as its text", () => {
    const [, image] = normalise(messages);
    expect(image).toMatchObject({
      text: 'The box arrived broken',
      author: { id: '4791234567', name: 'Ola Nordmann' },
      meta: { messageType: 'image' },
    });
  });

  it('names the field it cannot read', () => {
    const body = Buffer.from(
      JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', messages: [] } }] }],
      }),
    );
    expect(() => whatsappConnector.normalise(inbound('whatsapp', { body }), contextWith(baseSettings))).toThrow(
      /entry\.0\.changes\.0\.value\.metadata/,
    );
  });
});

describe('whatsapp connector: out', () => {
  let api: Awaited<ReturnType<typeof startLoopback>>;
  let answer = {
    status: 200,
    headers: {} as Record<string, string>,
    body: JSON.stringify({
      messaging_product: 'whatsapp',
      contacts: [{ input: '16505551234', wa_id: '16505551234' }],
      messages: [{ id: 'wamid.OUT1' }],
    }),
  };
  beforeAll(async () => {
    api = await startLoopback(() => answer);
  });
  afterAll(async () => {
    await api.close();
  });
  const outContext = () => contextWith({ ...baseSettings, FOGHORN_WHATSAPP_TOKEN: 'wa-token', FOGHORN_META_API_URL: `${api.url}/v21.0` });

  it('replies from the business number that received the message, quoting it', async () => {
    const [text] = normalise(messages);
    const command = commandFor(text!, 'reply', { text: 'Yes: red, blue and green.' });
    const response = await sendOver(whatsappConnector.buildRequest(command, outContext()));
    const received = api.received.at(-1)!;
    expect(received.method).toBe('POST');
    expect(received.url).toBe('/v21.0/106540352242922/messages');
    expect(received.headers.authorization).toBe('Bearer wa-token');
    expect(JSON.parse(received.body)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '16505551234',
      context: { message_id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=' },
      type: 'text',
      text: { preview_url: false, body: 'Yes: red, blue and green.' },
    });
    expect(whatsappConnector.interpretResponse(response, command, outContext())).toEqual({ externalId: 'wamid.OUT1' });
  });

  it('reads the throughput limit (130429) as transient and the closed 24-hour window (131047) as permanent', async () => {
    const [text] = normalise(messages);
    const command = commandFor(text!, 'reply');
    answer = {
      status: 429,
      headers: { 'retry-after': '5' },
      body: JSON.stringify({ error: { message: '(#130429) Rate limit hit', type: 'OAuthException', code: 130429, fbtrace_id: 'X' } }),
    };
    const limited = await sendOver(whatsappConnector.buildRequest(command, outContext()));
    let error: unknown;
    try {
      whatsappConnector.interpretResponse(limited, command, outContext());
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TransientActionError);
    expect((error as TransientActionError).retryAfterMs).toBe(5000);

    answer = {
      status: 400,
      headers: {},
      body: JSON.stringify({
        error: {
          message: '(#131047) Re-engagement message',
          type: 'OAuthException',
          code: 131047,
          error_data: { details: 'Message failed to send because more than 24 hours have passed' },
        },
      }),
    };
    const closed = await sendOver(whatsappConnector.buildRequest(command, outContext()));
    expect(() => whatsappConnector.interpretResponse(closed, command, outContext())).toThrow(PermanentActionError);
    expect(() => whatsappConnector.interpretResponse(closed, command, outContext())).toThrow(/131047.*Re-engagement message/);
  });

  it('uses a placeholder token in sandbox mode and refuses post', () => {
    const [text] = normalise(messages);
    const request = whatsappConnector.buildRequest(commandFor(text!, 'reply'), contextWith(baseSettings));
    expect(request.url).toBe('https://graph.facebook.com/v21.0/106540352242922/messages');
    expect(request.headers.authorization).toBe('Bearer <FOGHORN_WHATSAPP_TOKEN>');
    expect(() => whatsappConnector.buildRequest(commandFor(text!, 'post'), contextWith(baseSettings))).toThrow(PermanentActionError);
  });
});

describe('whatsapp connector: malformed but signed payloads', () => {
  it('never crashes: each mutated payload yields canonical events keeping their ids, or a 4xx naming what is wrong', () => {
    const read = normalisedBy(whatsappConnector, contextWith(baseSettings));
    fc.assert(
      fc.property(fc.oneof(fixtureMutations(messages)), (mutation) => expectEventsOrNamedRefusal(read, mutation)),
      { numRuns: 300 },
    );
  });
});

const EXCLUDED: string[] = ['FOGHORN_META_PAGE_ID', 'FOGHORN_META_PAGE_TOKEN', 'FOGHORN_META_APP_ID']; // shared Meta code for Page and Messenger;

describe('whatsapp connector: documentation', () => {
  it('documents every setting it reads in docs/platforms/whatsapp.md', () => {
    const page = docPage('whatsapp');
    const names = [
      ...whatsappConnector.inboundSettings,
      ...whatsappConnector.outboundSettings,
      ...settingNamesIn('meta', 'whatsapp').filter((name) => !EXCLUDED.includes(name)),
    ];
    expect(names.filter((name) => !page.includes(`\`${name}\``))).toEqual([]);
  });
});

describe('whatsapp connector: a system notice (the customer changed number)', () => {
  const notice = fixtureBytes(new URL('./fixtures/system-user-changed-number.json', import.meta.url));

  it('becomes a `system` event, not a dm, with the notice and the new id in meta', () => {
    const [event] = normalise(notice);
    expect(event).toMatchObject({
      id: 'whatsapp:wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
      kind: 'system',
      text: 'User Sheena Nelson changed from 16505551234 to 12195555358',
      author: { id: '16505551234' },
      createdAt: '2025-02-12T00:43:44.000Z',
      meta: { messageType: 'system', notice: 'user_changed_number', newWaId: '12195555358' },
    });
  });

  it('is not answered by an auto-reply rule for WhatsApp DMs that has no text condition', async () => {
    const set = await loadRuleSet(
      ruleDir({
        'auto-reply.yaml':
          'id: auto-reply\nwhen: { all: [{ fact: platform, operator: equal, value: whatsapp }, { fact: kind, operator: equal, value: dm }] }\nthen: [{ reply: { text: "Thanks, we will get back to you." } }]\n',
      }),
      { extensions: ruleLanguage, config: testConfig() },
    );
    const [event] = normalise(notice);
    const [dm] = normalise(messages);
    const now = new Date('2026-11-22T10:01:00.000Z');
    expect((await set.evaluate(event!, { now, state: memoryRuleState() })).actions).toEqual([]);
    expect((await set.evaluate(dm!, { now, state: memoryRuleState() })).actions.map((action) => action.ruleId)).toEqual(['auto-reply']);
  });
});

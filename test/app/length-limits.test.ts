import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFrom } from '../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../functions/entries/local/runtime.js';
import { TEST_API_AUTHORIZATION, TEST_API_TOKEN } from '../support/api-token.js';
import { type FakePlatformApi, startFakePlatformApi } from '../support/fake-platform-api.js';
import type { ReceivedRequest } from '../support/loopback.js';
import { getJson, makeWorkspace, waitFor, waitForQueuesToDrain } from '../support/runtime-process.js';

/**
 * A reply that renders longer than Telegram's 4,096 characters, through the local runtime, live against a
 * loopback Bot API that refuses such a text the way Telegram does (400 "message is too long").
 */
const SECRET = 'length-telegram-secret';
const AUTHOR = 'Aino Virtanen';
/** Rendered with the author's name, the text is exactly 5,000 characters. */
const LONG = `Thank you, {{author.name}}. ${'The terms of our loyalty programme apply to every purchase in our cafés. '.repeat(68)}`;
const RENDERED = LONG.replace('{{author.name}}', AUTHOR);
const PADDED = `${RENDERED}${'x'.repeat(5_000 - RENDERED.length)}`;
const TEMPLATE = `${LONG}${'x'.repeat(5_000 - RENDERED.length)}`;

const rule = (id: string, word: string, overflow?: string) => `
- id: ${id}
  when: { all: [{ fact: platform, operator: equal, value: telegram }, { fact: text, operator: containsAny, value: ["${word}"] }] }
  then: [{ reply: { text: ${JSON.stringify(TEMPLATE)} } }]
${overflow ? `  overflow: ${overflow}\n` : ''}`;
const RULES = [
  rule('terms-held', 'hold-terms'),
  rule('terms-cut', 'cut-terms', 'truncate'),
  rule('terms-thread', 'thread-terms', 'split'),
].join('');

interface Action {
  id: string;
  eventId: string;
  ruleId: string;
  status: string;
  mode?: string;
  error?: string;
}

const fixture = JSON.parse(readFileSync(new URL('../platforms/telegram/fixtures/group-reply.json', import.meta.url), 'utf8')) as {
  update_id: number;
  message: Record<string, unknown>;
};

describe('replies longer than the platform allows (Telegram, live, through the local runtime)', () => {
  let runtime: Runtime;
  let telegram: FakePlatformApi;
  const errors: string[] = [];
  let messageId = 9000;
  const sent = () =>
    telegram.received.map((request: ReceivedRequest) => JSON.parse(request.body) as { text: string; reply_parameters?: unknown });
  const update = async (updateId: number, text: string) => {
    const body = JSON.stringify({ ...fixture, update_id: updateId, message: { ...fixture.message, message_id: updateId, text } });
    const response = await fetch(`${runtime.url}/webhooks/telegram`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    });
    expect(response.status).toBe(200);
    await waitForQueuesToDrain(runtime.url);
    return `telegram:${updateId}`;
  };
  const actionsOf = async (eventId: string) =>
    (await getJson<{ actions: Action[] }>(`${runtime.url}/api/actions?limit=1000`)).actions.filter((action) => action.eventId === eventId);
  const deadLetters = async () =>
    (await getJson<{ deadLetters: { actions: unknown[] } }>(`${runtime.url}/api/dead-letters`)).deadLetters.actions;

  beforeAll(async () => {
    telegram = await startFakePlatformApi();
    telegram.answer((request) => {
      const { text } = JSON.parse(request.body) as { text: string };
      if (text.length > 4096) return { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: message is too long' } };
      messageId += 1;
      return { status: 200, body: { ok: true, result: { message_id: messageId, chat: { id: -1001928374650 } } } };
    });
    runtime = await startRuntime({
      port: 0,
      ...makeWorkspace({ 'terms.yaml': RULES }),
      logger: { info() {}, warn() {}, error: (message, detail) => errors.push(`${message} ${JSON.stringify(detail)}`) },
      settings: settingsFrom({
        FOGHORN_TELEGRAM_SECRET_TOKEN: SECRET,
        FOGHORN_TELEGRAM_BOT_TOKEN: '123456:TEST-TOKEN',
        FOGHORN_TELEGRAM_API_URL: telegram.url,
        FOGHORN_API_TOKEN: TEST_API_TOKEN,
      }),
    });
  }, 60_000);
  afterAll(async () => {
    await runtime?.stop();
    await telegram?.close();
    expect(errors).toEqual([]);
  });

  it('holds a 5,000-character reply for approval with the reason: nothing sent, nothing dead-lettered', async () => {
    expect(PADDED).toHaveLength(5_000);
    const eventId = await update(7001, 'where are the hold-terms?');
    const [action] = await actionsOf(eventId);
    expect(action).toMatchObject({ ruleId: 'terms-held', status: 'held' });
    expect(telegram.received).toHaveLength(0);
    expect(await deadLetters()).toEqual([]);
    const { approvals } = await getJson<{ approvals: Array<{ id: string; reason: string; heldBy: string }> }>(
      `${runtime.url}/api/approvals`,
    );
    const approval = approvals.find((candidate) => candidate.id === action!.id);
    expect(approval?.heldBy).toBe('guard');
    expect(approval?.reason).toContain('5,000 characters; telegram allows 4,096');

    // Approved, it goes out in the only form Telegram accepts: cut to the limit, once.
    const approve = await fetch(`${runtime.url}/api/approvals/${action!.id}/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...TEST_API_AUTHORIZATION },
      body: JSON.stringify({ who: 'maya' }),
    });
    expect(approve.status).toBe(200);
    await waitFor('the approved reply', async () => (telegram.received.length === 1 ? true : undefined));
    await waitForQueuesToDrain(runtime.url);
    const [text] = sent().map((body) => body.text);
    expect(text!.length).toBeLessThanOrEqual(4096);
    expect(text!.endsWith('…')).toBe(true);
    expect(await deadLetters()).toEqual([]);
  });

  it('with overflow: truncate, sends it cut to the limit on a word boundary, with an ellipsis', async () => {
    const before = telegram.received.length;
    const eventId = await update(7002, 'and the cut-terms?');
    const [action] = await actionsOf(eventId);
    expect(action).toMatchObject({ ruleId: 'terms-cut', status: 'succeeded', mode: 'live' });
    const bodies = sent().slice(before);
    expect(bodies).toHaveLength(1);
    const text = bodies[0]!.text;
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text.length).toBeGreaterThan(4000);
    expect(text.endsWith('…')).toBe(true);
    const kept = text.slice(0, -1);
    expect(PADDED.startsWith(kept)).toBe(true);
    // Cut after a whole word: what follows in the original is a space.
    expect(PADDED[kept.length]).toBe(' ');
  });

  it('with overflow: split, posts parts in the same thread, each within the limit, all of the text', async () => {
    const before = telegram.received.length;
    const eventId = await update(7003, 'and the thread-terms?');
    const [action] = await actionsOf(eventId);
    expect(action).toMatchObject({ ruleId: 'terms-thread', status: 'succeeded', mode: 'live' });
    const bodies = sent().slice(before);
    expect(bodies).toHaveLength(2);
    for (const body of bodies) {
      expect(body.text.length).toBeLessThanOrEqual(4096);
      expect(body.reply_parameters).toEqual({ message_id: 7003, allow_sending_without_reply: true });
    }
    expect(bodies.map((body) => body.text).join(' ')).toBe(PADDED.trimEnd());
  });
});

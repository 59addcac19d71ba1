import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import {
  getJson,
  makeWorkspace,
  type RuntimeProcess,
  startRuntimeProcess,
  waitFor,
  waitForQueuesToDrain,
} from '../support/runtime-process.js';

/**
 * The runtime is killed while Telegram (which cannot be asked what a chat holds) has received every reply but
 * answered none: after the restart, each reply is `unknown` in the approval queue, and none is sent again.
 */
const ANSWER_RULE = `
id: answer-telegram
description: Answer every group message (for the crash test)
when:
  all:
    - { fact: kind, operator: equal, value: message }
then:
  - reply:
      text:
        default: "Thanks, we are on it"
limits:
  perMinute: 100000
`;

const BOT_TOKEN = '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi';
const SECRET = 'e2e-telegram-secret_0123456789';
const CHATS = [-1001, -1002, -1003, -1004, -1005];
const LEASE_MS = 2000;

/** A Bot API on 127.0.0.1 that records every sendMessage; while `holding`, it never answers and keeps the socket open. */
async function startBotApi() {
  const sent: { chatId: number; text: string }[] = [];
  const held: ServerResponse[] = [];
  let holding = true;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (!req.url?.endsWith('/sendMessage')) return void res.writeHead(404).end();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { chat_id: number; text: string };
      sent.push({ chatId: Number(body.chat_id), text: body.text });
      if (holding) return void held.push(res);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, result: { message_id: 500 + sent.length, chat: { id: body.chat_id, type: 'group' }, date: 1 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent,
    answerFromNowOn: () => {
      holding = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function update(chatId: number, index: number) {
  return {
    update_id: 9000 + index,
    message: {
      message_id: 70 + index,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'group', title: `Group ${index}` },
      from: { id: 4000 + index, is_bot: false, first_name: 'Ada' },
      text: 'Where is my order?',
    },
  };
}

interface ActionView {
  id: string;
  eventId: string;
  status: string;
  error?: string;
}

describe('a SIGKILL while Telegram replies are in flight', () => {
  let runtime: RuntimeProcess | undefined;
  let api: Awaited<ReturnType<typeof startBotApi>> | undefined;
  afterAll(async () => {
    await runtime?.stop();
    await api?.close();
  });

  it('sends none of them again after the restart: each is unknown in the approval queue, sent exactly once', async () => {
    api = await startBotApi();
    const bot = api;
    const workspace = makeWorkspace({ 'answer.yaml': ANSWER_RULE });
    const env = {
      FOGHORN_ACTION_LEASE_MS: String(LEASE_MS),
      FOGHORN_TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      FOGHORN_TELEGRAM_SECRET_TOKEN: SECRET,
      FOGHORN_TELEGRAM_API_URL: bot.url,
    };
    runtime = await startRuntimeProcess({ ...workspace, env });
    const first = runtime;
    for (const [index, chatId] of CHATS.entries()) {
      const response = await fetch(`${first.url}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify(update(chatId, index)),
      });
      expect(response.status, await response.text()).toBe(200);
    }
    // Every reply reached Telegram, and no answer came back: the calls are in flight when the process dies.
    await waitFor('Telegram to receive every reply', async () => (bot.sent.length >= CHATS.length ? true : undefined), 30_000);
    await first.kill();
    bot.answerFromNowOn();

    runtime = await startRuntimeProcess({ ...workspace, env });
    const restarted = runtime;
    const eventIds = new Set(CHATS.map((_, index) => `telegram:${9000 + index}`));
    const actions = await waitFor(
      'every reply to be settled after the restart',
      async () => {
        const { actions } = await getJson<{ actions: ActionView[] }>(`${restarted.url}/api/actions?limit=1000`);
        const ours = actions.filter((action) => eventIds.has(action.eventId));
        return ours.length === CHATS.length && ours.every((action) => action.status !== 'in-progress' && action.status !== 'retrying')
          ? ours
          : undefined;
      },
      60_000,
    );
    await waitForQueuesToDrain(restarted.url, 30_000);

    const perChat = new Map<number, number>();
    for (const message of bot.sent) perChat.set(message.chatId, (perChat.get(message.chatId) ?? 0) + 1);
    expect(Object.fromEntries(perChat)).toEqual(Object.fromEntries(CHATS.map((chatId) => [chatId, 1])));
    expect(actions.map((action) => action.status)).toEqual(CHATS.map(() => 'unknown'));
    for (const action of actions) expect(action.error).toMatch(/previous attempt never finished/);

    const { approvals } = await getJson<{ approvals: Array<{ id: string; status: string; heldBy: string; reason: string }> }>(
      `${restarted.url}/api/approvals?status=pending`,
    );
    for (const action of actions) {
      expect(approvals.find((approval) => approval.id === action.id)).toMatchObject({ status: 'pending', heldBy: 'outcome' });
    }
  }, 120_000);
});

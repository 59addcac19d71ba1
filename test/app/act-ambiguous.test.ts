import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actStage } from '../../functions/app/act-handler.js';
import type { Adapters } from '../../functions/app/adapters.js';
import { crisisKitOf } from '../../functions/app/crisis-kit-of.js';
import { localAdapters } from '../../functions/app/local-adapters.js';
import { topology } from '../../functions/app/topology.js';
import { watchedRuleSource } from '../../functions/app/watched-rule-source.js';
import { type ActionCommand, actionCommandId } from '../../functions/core/action-command.js';
import type { CanonicalEvent } from '../../functions/core/event.js';
import { LiveSender } from '../../functions/core/outbound/index.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';
import { makeEvent } from '../support/events.js';
import { sqsBatch } from '../support/sqs.js';

/**
 * The act stage, whole, over the embedded table, against loopback servers that play Slack, Telegram and a
 * generic callback whose first answer never comes within the sender's timeout: each reply is posted once.
 */

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const SLACK_TOKEN = 'xoxb-test-token-0123456789';
const TELEGRAM_TOKEN = '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi';
const GENERIC_SECRET = 'generic-secret-for-tests';
/** The sender's timeout; the slow answers below never come at all, so this bounds only how long each test waits. */
const TIMEOUT_MS = 1000;

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A platform API on 127.0.0.1 whose handler may leave a response hanging (the answer that comes too late). */
async function startSlowApi(handle: (request: Received, response: ServerResponse, index: number) => void) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(request);
      handle(request, res, received.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sqsEvent(command: ActionCommand, receiveCount = 1): SQSEvent {
  return sqsBatch([JSON.stringify(command)], { receiveCount, id: () => `m-${command.id}-${receiveCount}`, queue: 'actions' });
}

function replyTo(event: CanonicalEvent, text = 'Thanks, we are on it'): ActionCommand {
  return {
    id: actionCommandId(event.id, 'faq', 0),
    eventId: event.id,
    ruleId: 'faq',
    index: 0,
    type: 'reply',
    params: { text },
    event,
    createdAt: new Date().toISOString(),
  };
}

describe('the act stage on an ambiguous outcome (no answer after the request left)', () => {
  const dynamo = useEmbeddedDynamo();
  let rules: Awaited<ReturnType<typeof watchedRuleSource>>;
  beforeAll(async () => {
    rules = await watchedRuleSource('rules', quiet);
  });
  afterAll(() => rules.close());

  /**
   * The local adapters with a live sender that gives up after TIMEOUT_MS (short, but long enough for a loopback
   * answer on a loaded machine), a captured actions queue and dead letters.
   */
  async function adapters(settings: Record<string, string>, outbound?: unknown, leaseMs = 30_000) {
    const base = await localAdapters({
      table: dynamo.current,
      rules,
      settings: settingsFrom(settings),
      logger: quiet,
      foghornBaseUrl: () => 'http://127.0.0.1:8787',
      actionLeaseMs: leaseMs,
    });
    const dispatched: ActionCommand[] = [];
    const deadLettered: { command: ActionCommand; error: string }[] = [];
    const config = { ...rules.latest().compiled.config, ...(outbound === undefined ? {} : { outbound }) };
    const wired: Adapters = {
      ...base,
      live: new LiveSender({ timeoutMs: TIMEOUT_MS }),
      teamConfig: { load: async () => {}, current: () => config },
      actionsQueue: {
        send: async (commands) => {
          dispatched.push(...commands);
        },
      },
      deadLetters: {
        send: async (command, error) => {
          deadLettered.push({ command, error });
        },
      },
      delayAction: async () => {},
    };
    return { wired, act: actStage(wired), dispatched, deadLettered };
  }

  it('Slack: the reply that timed out is found by its metadata (conversations.replies), so it is posted once, not twice', async () => {
    const posted: { ts: string; text: string; metadata: unknown; thread_ts?: string }[] = [];
    const api = await startSlowApi((request, res) => {
      if (request.url.startsWith('/api/chat.postMessage')) {
        const body = JSON.parse(request.body) as { text: string; metadata: unknown; thread_ts?: string };
        const ts = `1700000100.00${posted.length + 1}000`;
        posted.push({ ts, text: body.text, metadata: body.metadata, ...(body.thread_ts ? { thread_ts: body.thread_ts } : {}) });
        // Slack keeps the message, but its answer comes after the sender gave up: leave it hanging.
        if (posted.length === 1) return;
        return json(res, { ok: true, ts });
      }
      if (request.url.startsWith('/api/conversations.replies') || request.url.startsWith('/api/conversations.history')) {
        const withMetadata = new URL(request.url, 'http://x').searchParams.get('include_all_metadata') === 'true';
        return json(res, {
          ok: true,
          messages: posted.map((message) => (withMetadata ? message : { ts: message.ts, text: message.text })),
          has_more: false,
        });
      }
      res.writeHead(404).end();
    });
    try {
      const { wired, act } = await adapters({ FOGHORN_SLACK_BOT_TOKEN: SLACK_TOKEN, FOGHORN_SLACK_API_URL: `${api.url}/api` });
      const event = makeEvent({
        id: 'slack:T1:C1:1700000000.000100',
        platform: 'slack',
        channel: { id: 'C1' },
        meta: { ts: '1700000000.000100' },
      });
      const command = replyTo(event);
      // The queue delivers again whatever the first delivery reported: a retry would post a second time.
      await act(sqsEvent(command, 1));
      await act(sqsEvent(command, 2));

      expect(posted).toHaveLength(1);
      expect(await wired.actions.get(command.id)).toMatchObject({ status: 'succeeded', mode: 'live', externalId: posted[0]!.ts });
      expect(api.received.some((request) => request.url.startsWith('/api/conversations.replies?'))).toBe(true);
      expect(await wired.crisisStores.approvals.get(command.id)).toBeUndefined();
    } finally {
      await api.close();
    }
  });

  it('Telegram (no read API): the reply that timed out becomes unknown, is sent once, and waits in the approval queue', async () => {
    const api = await startSlowApi((_request, res, index) => {
      if (index === 0) return;
      json(res, { ok: true, result: { message_id: 100 + index, chat: { id: 42 } } });
    });
    try {
      const { wired, act } = await adapters({ FOGHORN_TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, FOGHORN_TELEGRAM_API_URL: api.url });
      const event = makeEvent({ id: 'telegram:42:7', platform: 'telegram', channel: { id: '42' }, meta: { chatId: 42, messageId: 7 } });
      const command = replyTo(event);
      await act(sqsEvent(command, 1));
      await act(sqsEvent(command, 2));

      expect(api.received).toHaveLength(1);
      const record = await wired.actions.get(command.id);
      expect(record).toMatchObject({ status: 'unknown', mode: 'live' });
      expect(record?.error).toContain(`no answer within ${TIMEOUT_MS} ms`);
      expect(JSON.stringify(record?.request)).not.toContain(TELEGRAM_TOKEN);
      const approval = await wired.crisisStores.approvals.get(command.id);
      expect(approval).toMatchObject({ status: 'pending', heldBy: 'outcome', command: { id: command.id } });
      expect(approval?.reason).toMatch(/^may have been sent/);
    } finally {
      await api.close();
    }
  });

  it('approving an unknown reply resends it once, however often it is approved; a resend that times out again is held, not retried', async () => {
    const api = await startSlowApi((_request, res, index) => {
      if (index === 0 || index === 1) return;
      json(res, { ok: true, result: { message_id: 100 + index, chat: { id: 42 } } });
    });
    try {
      const { wired, act, dispatched } = await adapters({ FOGHORN_TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, FOGHORN_TELEGRAM_API_URL: api.url });
      const event = makeEvent({ id: 'telegram:42:8', platform: 'telegram', channel: { id: '42' }, meta: { chatId: 42, messageId: 8 } });
      const command = replyTo(event);
      await act(sqsEvent(command, 1));
      expect(api.received).toHaveLength(1);

      const kit = await crisisKitOf(wired);
      await kit.approve(command.id, 'maya', 'not in the chat: resend');
      await kit.approve(command.id, 'maya', 'clicked twice');
      expect(dispatched).toHaveLength(1);
      const resend = dispatched[0]!;
      await act(sqsEvent(resend, 1));
      await act(sqsEvent(resend, 2));
      // The approved resend was sent once and timed out too: it is a new question for a person.
      expect(api.received).toHaveLength(2);
      expect(await wired.actions.get(resend.id)).toMatchObject({ status: 'unknown' });
      expect(await wired.crisisStores.approvals.get(resend.id)).toMatchObject({ status: 'pending', heldBy: 'outcome' });
    } finally {
      await api.close();
    }
  });

  it('the generic reply URL with a slow body: retried with the same idempotency key, because the callback deduplicates', async () => {
    const api = await startSlowApi((_request, res, index) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      // The first answer's body never finishes.
      if (index === 0) return void res.write('{"id":');
      res.end('{"id":"reply-1"}');
    });
    try {
      const { wired, act } = await adapters({ FOGHORN_GENERIC_SECRET: GENERIC_SECRET, FOGHORN_GENERIC_REPLY_URL: `${api.url}/replies` });
      const command = replyTo(makeEvent({ id: 'generic:slow-body' }));
      const first = await act(sqsEvent(command, 1));
      expect(first.batchItemFailures).toHaveLength(1);
      const retrying = await wired.actions.get(command.id);
      expect(retrying?.status).toBe('retrying');
      expect(retrying?.error).toMatch(/may have reached the platform.*retried with the same idempotency-key/);
      await act(sqsEvent(command, 2));

      expect(api.received).toHaveLength(2);
      expect(api.received.map((request) => request.headers['idempotency-key'])).toEqual([command.id, command.id]);
      expect(await wired.actions.get(command.id)).toMatchObject({ status: 'succeeded', externalId: 'reply-1' });
    } finally {
      await api.close();
    }
  });

  it('`outbound: { generic: { onAmbiguous: hold } }` holds the generic reply instead of retrying it', async () => {
    const api = await startSlowApi((_request, res) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.write('{"id":');
    });
    try {
      const { wired, act } = await adapters(
        { FOGHORN_GENERIC_SECRET: GENERIC_SECRET, FOGHORN_GENERIC_REPLY_URL: `${api.url}/replies` },
        { generic: { onAmbiguous: 'hold' } },
      );
      const command = replyTo(makeEvent({ id: 'generic:held-by-config' }));
      await act(sqsEvent(command, 1));
      await act(sqsEvent(command, 2));
      expect(api.received).toHaveLength(1);
      expect(await wired.actions.get(command.id)).toMatchObject({ status: 'unknown' });
    } finally {
      await api.close();
    }
  });

  it('a command whose worker died mid-call (its claim taken over after the lease) is not sent again blindly', async () => {
    const api = await startSlowApi((_request, res, index) =>
      json(res, { ok: true, result: { message_id: 100 + index, chat: { id: 42 } } }),
    );
    try {
      const leaseMs = 1000;
      const { wired, act } = await adapters(
        { FOGHORN_TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, FOGHORN_TELEGRAM_API_URL: api.url },
        undefined,
        leaseMs,
      );
      const event = makeEvent({ id: 'telegram:42:9', platform: 'telegram', channel: { id: '42' }, meta: { chatId: 42, messageId: 9 } });
      const command = replyTo(event);
      // The crashed worker: it claimed the command (and may have sent it) and never completed it.
      expect(await wired.actions.claim(command, leaseMs, new Date(Date.now() - 2 * leaseMs))).toBe('claimed');
      await act(sqsEvent(command, 2));

      expect(api.received).toHaveLength(0);
      expect(await wired.actions.get(command.id)).toMatchObject({ status: 'unknown' });
      expect(await wired.crisisStores.approvals.get(command.id)).toMatchObject({ status: 'pending', heldBy: 'outcome' });
    } finally {
      await api.close();
    }
  });

  it('a taken-over Slack command is reconciled: sent when Slack has no message with its metadata, and only then', async () => {
    const posted: { ts: string; metadata: unknown }[] = [];
    const api = await startSlowApi((request, res) => {
      if (request.url.startsWith('/api/chat.postMessage')) {
        const ts = `1700000200.00${posted.length + 1}000`;
        posted.push({ ts, metadata: (JSON.parse(request.body) as { metadata: unknown }).metadata });
        return json(res, { ok: true, ts });
      }
      return json(res, { ok: true, messages: posted, has_more: false });
    });
    try {
      const leaseMs = 1000;
      const { wired, act } = await adapters(
        { FOGHORN_SLACK_BOT_TOKEN: SLACK_TOKEN, FOGHORN_SLACK_API_URL: `${api.url}/api` },
        undefined,
        leaseMs,
      );
      const event = makeEvent({
        id: 'slack:T1:C2:1700000000.000200',
        platform: 'slack',
        channel: { id: 'C2' },
        meta: { ts: '1700000000.000200' },
      });
      const command = replyTo(event);
      await wired.actions.claim(command, leaseMs, new Date(Date.now() - 2 * leaseMs));
      await act(sqsEvent(command, 2));
      expect(api.received.map((request) => request.url.split('?')[0])).toEqual(['/api/conversations.replies', '/api/chat.postMessage']);
      expect(posted).toHaveLength(1);
      expect(await wired.actions.get(command.id)).toMatchObject({ status: 'succeeded', externalId: posted[0]!.ts });
    } finally {
      await api.close();
    }
  });

  /**
   * X, Facebook comments and Instagram comments carry no metadata: the read API is searched for the account's own
   * message with the request's text, answering the same post or comment (test/platforms/<name>/reconcile.test.ts).
   */
  const READ_BACK = [
    {
      platform: 'x',
      settings: (url: string) => ({ FOGHORN_X_BEARER_TOKEN: 'x-user-token', FOGHORN_X_API_URL: url }),
      event: (n: number) =>
        makeEvent({ id: `x:150${n}`, platform: 'x', kind: 'mention', channel: { id: '2244994945' }, meta: { tweetId: `150${n}` } }),
      isCreate: (request: Received) => request.method === 'POST' && request.url === '/2/tweets',
      item: (id: string, body: { text: string; reply: { in_reply_to_tweet_id: string } }) => ({
        id,
        text: body.text,
        created_at: new Date().toISOString(),
        edit_history_tweet_ids: [id],
        referenced_tweets: [{ type: 'replied_to', id: body.reply.in_reply_to_tweet_id }],
      }),
      list: (items: unknown[]) => ({ data: items, meta: { result_count: items.length } }),
      created: (id: string) => ({ data: { id, edit_history_tweet_ids: [id] } }),
    },
    {
      platform: 'facebook',
      settings: (url: string) => ({ FOGHORN_META_PAGE_TOKEN: 'page-token', FOGHORN_META_API_URL: url }),
      event: (n: number) =>
        makeEvent({
          id: `facebook:c${n}`,
          platform: 'facebook',
          kind: 'comment',
          channel: { id: 'page-1' },
          meta: { replyTargetId: `c${n}` },
        }),
      isCreate: (request: Received) => request.method === 'POST' && request.url.endsWith('/comments'),
      item: (id: string, body: { message: string }) => ({
        id,
        message: body.message,
        from: { id: 'page-1', name: 'Foghorn Coffee' },
        created_time: new Date().toISOString().replace('.000Z', '+0000'),
      }),
      list: (items: unknown[]) => ({ data: items, paging: { cursors: { before: 'b', after: 'a' } } }),
      created: (id: string) => ({ id }),
    },
    {
      platform: 'instagram',
      settings: (url: string) => ({ FOGHORN_META_PAGE_TOKEN: 'page-token', FOGHORN_META_API_URL: url }),
      event: (n: number) =>
        makeEvent({
          id: `instagram:c${n}`,
          platform: 'instagram',
          kind: 'comment',
          channel: { id: 'ig-1' },
          meta: { replyTargetId: `c${n}` },
        }),
      isCreate: (request: Received) => request.method === 'POST' && request.url.endsWith('/replies'),
      item: (id: string, body: { message: string }) => ({
        id,
        text: body.message,
        from: { id: 'ig-1', username: 'foghorn.coffee' },
        timestamp: new Date().toISOString().replace('.000Z', '+0000'),
      }),
      list: (items: unknown[]) => ({ data: items }),
      created: (id: string) => ({ id }),
    },
  ] as const;

  /** A platform that keeps every message it is sent; `hang` leaves those answers hanging, `readFails` breaks its read API. */
  async function startReadBackApi(
    platform: (typeof READ_BACK)[number],
    options: { hang: (index: number) => boolean; readFails?: boolean },
  ) {
    const posted: { id: string; item: unknown }[] = [];
    const api = await startSlowApi((request, res) => {
      if (platform.isCreate(request)) {
        const id = `${platform.platform}-msg-${posted.length + 1}`;
        posted.push({ id, item: platform.item(id, JSON.parse(request.body)) });
        if (options.hang(posted.length - 1)) return;
        return json(res, platform.created(id));
      }
      if (options.readFails) {
        res.writeHead(500, { 'content-type': 'application/json' });
        return void res.end('{"error":{"message":"An unknown error has occurred.","type":"OAuthException","code":1}}');
      }
      return json(res, platform.list(posted.map((message) => message.item)));
    });
    return { api, posted };
  }

  describe.each(READ_BACK)('$platform (read back by content)', (platform) => {
    it('the reply that timed out is found through the read API: posted once, succeeded with the id found', async () => {
      const { api, posted } = await startReadBackApi(platform, { hang: (index) => index === 0 });
      try {
        const { wired, act } = await adapters(platform.settings(api.url));
        const command = replyTo(platform.event(1));
        await act(sqsEvent(command, 1));
        await act(sqsEvent(command, 2));
        expect(posted).toHaveLength(1);
        expect(await wired.actions.get(command.id)).toMatchObject({ status: 'succeeded', mode: 'live', externalId: posted[0]!.id });
        expect(api.received.filter((request) => request.method === 'GET').length).toBeGreaterThan(0);
        expect(await wired.crisisStores.approvals.get(command.id)).toBeUndefined();
      } finally {
        await api.close();
      }
    });

    it('a taken-over command the read API has no message for is sent, once', async () => {
      const { api, posted } = await startReadBackApi(platform, { hang: () => false });
      try {
        const leaseMs = 1000;
        const { wired, act } = await adapters(platform.settings(api.url), undefined, leaseMs);
        const command = replyTo(platform.event(2));
        await wired.actions.claim(command, leaseMs, new Date(Date.now() - 2 * leaseMs));
        await act(sqsEvent(command, 2));
        await act(sqsEvent(command, 3));
        expect(api.received.map((request) => request.method)).toEqual(['GET', 'POST']);
        expect(posted).toHaveLength(1);
        expect(await wired.actions.get(command.id)).toMatchObject({ status: 'succeeded', externalId: posted[0]!.id });
      } finally {
        await api.close();
      }
    });

    it('when the read API fails, the reply that timed out is unknown and waits in the approval queue, sent once', async () => {
      const { api, posted } = await startReadBackApi(platform, { hang: () => true, readFails: true });
      try {
        const { wired, act } = await adapters(platform.settings(api.url));
        const command = replyTo(platform.event(3));
        await act(sqsEvent(command, 1));
        await act(sqsEvent(command, 2));
        expect(posted).toHaveLength(1);
        const record = await wired.actions.get(command.id);
        expect(record).toMatchObject({ status: 'unknown', mode: 'live' });
        expect(record?.error).toMatch(/read API could not be asked: .*answered 500/);
        expect(await wired.crisisStores.approvals.get(command.id)).toMatchObject({ status: 'pending', heldBy: 'outcome' });
      } finally {
        await api.close();
      }
    });
  });

  it('on the last delivery the queue will make, a transient failure is final: failed with the reason, dead-lettered by act', async () => {
    const api = await startSlowApi((_request, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{"error":"maintenance"}');
    });
    try {
      const { wired, act, deadLettered } = await adapters({
        FOGHORN_GENERIC_SECRET: GENERIC_SECRET,
        FOGHORN_GENERIC_REPLY_URL: `${api.url}/replies`,
      });
      const command = replyTo(makeEvent({ id: 'generic:always-503' }));
      const last = topology.queues.actions.maxReceiveCount;
      expect((await act(sqsEvent(command, last - 1))).batchItemFailures).toHaveLength(1);
      expect((await wired.actions.get(command.id))?.status).toBe('retrying');

      const final = await act(sqsEvent(command, last));
      expect(final.batchItemFailures).toHaveLength(0);
      const record = await wired.actions.get(command.id);
      expect(record?.status).toBe('failed');
      expect(record?.error).toMatch(new RegExp(`gave up after ${last} deliveries: callback answered 503`));
      expect(deadLettered).toEqual([{ command, error: record?.error }]);
    } finally {
      await api.close();
    }
  });
});

import { createHmac } from 'node:crypto';
import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { createActHandler } from '../../functions/app/act-handler.js';
import { actOn } from '../../functions/core/act.js';
import type { ActionCommand } from '../../functions/core/action-command.js';
import { PermanentActionError, TransientActionError } from '../../functions/core/errors.js';
import { LiveSender, SandboxSender } from '../../functions/core/outbound/index.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { ticketConversation } from '../../functions/crisis/conversation.js';
import { type EscalateExecutorOptions, escalateExecutor, settleEscalation } from '../../functions/escalation/escalate-executor.js';
import { parseTargets } from '../../functions/escalation/target-config.js';
import { EmbeddedActionStore } from '../../functions/storage/embedded/action-store.js';
import { EmbeddedTicketStore } from '../../functions/storage/embedded/ticket-store.js';
import { memoryActionStore } from '../crisis/support/memory-action-store.js';
import { useEmbeddedDatabase } from '../storage/contracts/use-embedded-database.js';
import { makeEvent } from '../support/events.js';
import { type LoopbackAnswer, type ReceivedRequest, startLoopback } from '../support/loopback.js';

const now = new Date('2026-12-02T03:00:00.000Z');
const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function api(answer: (request: ReceivedRequest, index: number) => LoopbackAnswer) {
  const server = await startLoopback(answer);
  servers.push(server);
  return server;
}

function command(id = 'act_chat1'): ActionCommand {
  return {
    id,
    eventId: 'x:99',
    ruleId: 'outage',
    index: 0,
    type: 'escalate',
    createdAt: now.toISOString(),
    params: { target: 'chat', severity: 'critical', summary: 'Login outage reports' },
    event: makeEvent({
      id: 'x:99',
      platform: 'x',
      kind: 'mention',
      text: '@brand *login* is [down](https://evil.example)',
      url: 'https://x.com/sara/status/99',
      author: { id: '7', handle: 'sara' },
    }),
  };
}

function options(target: Record<string, unknown>, settings: Record<string, string>, timeoutMs = 5000): EscalateExecutorOptions {
  const targets = parseTargets({ chat: target });
  return {
    targets: () => targets,
    settings: settingsFrom(settings),
    live: new LiveSender({ timeoutMs }),
    sandbox: new SandboxSender(),
    forceSandbox: false,
    clock: { now: () => now },
    foghornBaseUrl: 'http://127.0.0.1:8787',
  };
}

describe('the teams target (incoming webhook or Workflows URL)', () => {
  it('posts one Adaptive Card message with the customer words quoted and links to the post and to Foghorn', async () => {
    // add-incoming-webhook: an incoming webhook answers 200 with body "1"; a Workflows URL answers 202.
    const teams = await api(() => ({ status: 200, body: '1' }));
    const run = escalateExecutor(
      options(
        { type: 'teams', url: 'FOGHORN_TEAMS_OPS_WEBHOOK' },
        { FOGHORN_TEAMS_OPS_WEBHOOK: `${teams.url}/webhookb2/abc@def/IncomingWebhook/0123456789abcdef/ghi` },
      ),
    );
    const result = await run(command());
    expect(teams.received).toHaveLength(1);
    const body = JSON.parse(teams.received[0]!.body);
    expect(body.type).toBe('message');
    expect(body.attachments).toHaveLength(1);
    expect(body.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = body.attachments[0].content;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(card.body[0].text).toBe('🚨 [CRITICAL] Login outage reports');
    expect(card.body.map((block: { text: string }) => block.text)).toContain('@brand \\*login\\* is \\[down\\](https://evil.example)');
    expect(card.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'On the platform', url: 'https://x.com/sara/status/99' },
      { type: 'Action.OpenUrl', title: 'In Foghorn', url: 'http://127.0.0.1:8787/conversation/x%3A99' },
    ]);
    expect(result).toMatchObject({ status: 'succeeded', mode: 'live' });
    // The webhook URL is the secret: the record never shows it.
    expect(result.request?.url).not.toContain('0123456789abcdef');
  });

  it('a 429 with Retry-After is transient with the wait; a 400 is permanent (dead-lettered by the act path)', async () => {
    const teams = await api((_r, index) =>
      index === 0
        ? { status: 429, headers: { 'retry-after': '30' }, body: 'Microsoft Teams endpoint returned HTTP error 429' }
        : { status: 400, body: 'Bad payload received by generic incoming webhook.' },
    );
    const given = options(
      { type: 'teams', url: 'FOGHORN_TEAMS_OPS_WEBHOOK' },
      { FOGHORN_TEAMS_OPS_WEBHOOK: `${teams.url}/hook-0123456789` },
    );
    const deps = {
      actions: memoryActionStore(),
      executors: { escalate: escalateExecutor(given) },
      clock: { now: () => now },
      leaseMs: 30_000,
    };
    const limited = await escalateExecutor(given)(command()).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(TransientActionError);
    expect((limited as TransientActionError).retryAfterMs).toBe(30_000);
    expect(await actOn(command('act_chat2'), deps)).toMatchObject({
      status: 'dead',
      reason: expect.stringContaining('teams refused the request (HTTP 400)'),
    });
  });

  it('a call that timed out is held for a person: Teams keeps no key to drop a repeat', async () => {
    const teams = await api(() => ({ status: 200, body: '1' }));
    const given = options(
      { type: 'teams', url: 'FOGHORN_TEAMS_OPS_WEBHOOK' },
      { FOGHORN_TEAMS_OPS_WEBHOOK: `${teams.url}/hook-0123456789` },
    );
    expect(await settleEscalation(given)(command())).toMatchObject({ settled: 'unknown' });
  });
});

describe('the webhook target (generic outgoing HTTPS)', () => {
  const secret = 'whsec-0123456789abcdefghij';

  it('signs the raw body with X-Foghorn-Signature: sha256=<hmac> and sends the command id as Idempotency-Key', async () => {
    const hook = await api(() => ({ status: 201, body: '{"id":"case-881"}' }));
    const run = escalateExecutor(
      options(
        { type: 'webhook', url: `${hook.url}/hooks/foghorn`, secret: 'FOGHORN_CRM_WEBHOOK_SECRET' },
        { FOGHORN_CRM_WEBHOOK_SECRET: secret },
      ),
    );
    const result = await run(command());
    const [received] = hook.received;
    expect(received!.url).toBe('/hooks/foghorn');
    expect(received!.headers['idempotency-key']).toBe('act_chat1');
    expect(received!.headers['x-foghorn-signature']).toBe(`sha256=${createHmac('sha256', secret).update(received!.body).digest('hex')}`);
    const body = JSON.parse(received!.body);
    expect(body).toMatchObject({
      type: 'foghorn.escalation',
      id: 'act_chat1',
      rule: 'outage',
      severity: 'critical',
      event: { id: 'x:99', platform: 'x', author: '@sara' },
      links: {
        event: 'http://127.0.0.1:8787/api/events/x%3A99',
        conversation: 'http://127.0.0.1:8787/conversation/x%3A99',
        platform: 'https://x.com/sara/status/99',
      },
    });
    expect(result).toMatchObject({ status: 'succeeded', mode: 'live', externalId: 'case-881' });
    expect(JSON.stringify(result.request)).not.toContain(secret);
  });

  it('a 429 is retried after Retry-After, a 410 dead-letters, and a retried or redelivered command carries the same key once delivered', async () => {
    const keys: string[] = [];
    const hook = await api((request, index) => {
      keys.push(String(request.headers['idempotency-key']));
      if (index === 0) return { status: 429, headers: { 'retry-after': '5' }, body: '' };
      if (index === 2) return { status: 410, body: '{"error":"endpoint removed"}' };
      return { status: 200, body: '{}' };
    });
    const given = options({ type: 'webhook', url: hook.url, secret: 'FOGHORN_CRM_WEBHOOK_SECRET' }, { FOGHORN_CRM_WEBHOOK_SECRET: secret });
    const deps = {
      actions: memoryActionStore(),
      executors: { escalate: escalateExecutor(given) },
      clock: { now: () => now },
      leaseMs: 30_000,
    };
    expect(await actOn(command('act_w1'), deps)).toMatchObject({ status: 'retry', retryAfterMs: 5000 });
    expect(await actOn(command('act_w1'), deps)).toMatchObject({ status: 'done' });
    expect(await actOn(command('act_w1'), deps)).toEqual({ status: 'skipped' });
    expect(keys).toEqual(['act_w1', 'act_w1']);
    expect(await actOn(command('act_w2'), deps)).toMatchObject({ status: 'dead', reason: expect.stringContaining('HTTP 410') });
    // After a timeout the same request, with the same key, is sent again: a receiver honouring it acts once.
    expect(await settleEscalation(given)(command('act_w3'))).toMatchObject({ settled: 'retry' });
  });

  it('without its secret records the signed request in sandbox mode and sends nothing', async () => {
    const hook = await api(() => ({ status: 200, body: '{}' }));
    const result = await escalateExecutor(options({ type: 'webhook', url: hook.url, secret: 'FOGHORN_CRM_WEBHOOK_SECRET' }, {}))(command());
    expect(hook.received).toHaveLength(0);
    expect(result).toMatchObject({ status: 'succeeded', mode: 'sandbox' });
    expect(result.request?.headers['idempotency-key']).toBe('act_chat1');
  });

  it('refuses a webhook target without a secret reference, or with a secret written in the config', () => {
    expect(() => parseTargets({ crm: { type: 'webhook', url: 'https://crm.example.com/hook' } })).toThrow(/targets\.crm\.secret/);
    expect(() => parseTargets({ crm: { type: 'webhook', url: 'https://crm.example.com/hook', secret: 'hunter2hunter2' } })).toThrow(
      /FOGHORN_\* setting/,
    );
  });

  it('takes credentials and signed bodies over HTTPS only (plain HTTP to this machine, for tests)', () => {
    expect(() => parseTargets({ crm: { type: 'webhook', url: 'http://crm.example.com/hook', secret: 'FOGHORN_CRM_SECRET' } })).toThrow(
      /targets\.crm\.url: an https:\/\/ URL/,
    );
    expect(() => parseTargets({ desk: { type: 'zendesk', url: 'http://acme.zendesk.com' } })).toThrow(/targets\.desk\.url/);
    expect(parseTargets({ desk: { type: 'zendesk', url: 'https://acme.zendesk.com' } }).get('desk')).toMatchObject({
      email: 'FOGHORN_ZENDESK_EMAIL',
      token: 'FOGHORN_ZENDESK_API_TOKEN',
      tags: [],
    });
  });
});

describe('the run-time errors', () => {
  it('a helpdesk target in a runtime without a ticket store fails for good, naming why', async () => {
    const given = options(
      { type: 'zendesk', url: 'http://127.0.0.1:9' },
      { FOGHORN_ZENDESK_EMAIL: 'a@b.example', FOGHORN_ZENDESK_API_TOKEN: 'token-0123456789' },
    );
    await expect(escalateExecutor(given)(command())).rejects.toThrow(PermanentActionError);
    await expect(escalateExecutor(given)(command())).rejects.toThrow(/no ticket store/);
  });
});

describe.each([
  { type: 'teams' as const, target: { type: 'teams', url: 'FOGHORN_TEAMS_OPS_WEBHOOK' }, setting: 'FOGHORN_TEAMS_OPS_WEBHOOK' },
  { type: 'webhook' as const, target: { type: 'webhook', secret: 'FOGHORN_CRM_WEBHOOK_SECRET' }, setting: 'FOGHORN_CRM_WEBHOOK_SECRET' },
])('the $type target through the act path, with a ticket store and a conversation per thread', (c) => {
  const db = useEmbeddedDatabase();
  let clockAt = now.getTime();
  const clock = { now: () => new Date(clockAt) };

  async function harness(answer: (request: ReceivedRequest, index: number) => LoopbackAnswer = () => ({ status: 200, body: '1' })) {
    const server = await api(answer);
    const url = `${server.url}/hooks/0123456789abcdef`;
    const targets = parseTargets({ chat: c.type === 'teams' ? c.target : { ...c.target, url } });
    const tickets = new EmbeddedTicketStore(db.current);
    const actions = new EmbeddedActionStore({ database: db.current });
    const escalation: EscalateExecutorOptions = {
      targets: () => targets,
      settings: settingsFrom({ [c.setting]: c.type === 'teams' ? url : 'whsec-0123456789abcdefghij' }),
      live: new LiveSender({ timeoutMs: 5000 }),
      sandbox: new SandboxSender(),
      forceSandbox: false,
      clock,
      foghornBaseUrl: 'http://127.0.0.1:8787',
      tickets,
      conversationOf: ticketConversation,
    };
    const held: string[] = [];
    const dead: Array<{ id: string; reason: string }> = [];
    const delays: number[] = [];
    const escalate = escalateExecutor(escalation);
    const handler = createActHandler({
      actions,
      executors: { escalate },
      clock,
      leaseMs: 30_000,
      ambiguous: { settle: settleEscalation(escalation), hold: async (command) => void held.push(command.id) },
      deadLetters: { send: async (command, reason) => void dead.push({ id: command.id, reason }) },
      delay: async (_handle, ms) => void delays.push(ms),
      maxReceiveCount: 8,
    });
    const deliver = (command: ActionCommand, count = 1) =>
      handler({
        Records: [
          {
            messageId: `${command.id}-${count}`,
            receiptHandle: 'rh',
            body: JSON.stringify(command),
            attributes: { ApproximateReceiveCount: String(count) },
          },
        ],
      } as unknown as SQSEvent);
    return { server, tickets, actions, held, dead, delays, deliver, escalate };
  }

  let sequence = 0;
  /** A customer's message in thread `thread` of the brand's account on X, and the command escalating it. */
  function message(thread: string, text: string, first = true): ActionCommand {
    sequence += 1;
    const id = `x:${c.type}-${thread}-${sequence}`;
    return {
      ...command(`act_${c.type}_${thread}_${sequence}`),
      eventId: id,
      event: makeEvent({
        id,
        platform: 'x',
        kind: 'mention',
        text,
        author: { id: '7', handle: 'sara' },
        channel: { id: 'brand' },
        thread: first ? { id: thread } : { id: thread, replyToId: thread },
      }),
    };
  }

  it('each message of a conversation is its own call, linking to that message in Foghorn; no ticket is kept', async () => {
    const h = await harness();
    const first = message('t1', 'The app is down');
    const second = message('t1', 'Still down', false);
    await h.deliver(first);
    await h.deliver(second);

    expect(h.server.received).toHaveLength(2);
    const bodies = h.server.received.map((request) => JSON.parse(request.body));
    if (c.type === 'teams') {
      expect(bodies.map((body) => body.attachments[0].content.actions.at(-1).url)).toEqual([
        `http://127.0.0.1:8787/conversation/${encodeURIComponent(first.event.id)}`,
        `http://127.0.0.1:8787/conversation/${encodeURIComponent(second.event.id)}`,
      ]);
      expect(JSON.stringify(bodies[1])).toContain('Still down');
    } else {
      // Two calls, each under its own key; `conversation` tells the receiver they are one thread.
      expect(h.server.received.map((request) => request.headers['idempotency-key'])).toEqual([first.id, second.id]);
      expect(bodies.map((body) => body.conversation)).toEqual(['x|brand|t1', 'x|brand|t1']);
      expect(bodies.map((body) => body.links.conversation)).toEqual([
        `http://127.0.0.1:8787/conversation/${encodeURIComponent(first.event.id)}`,
        `http://127.0.0.1:8787/conversation/${encodeURIComponent(second.event.id)}`,
      ]);
    }
    expect(await h.tickets.get('x|brand|t1', 'chat')).toBeUndefined();
    expect(await h.actions.get(second.id)).toMatchObject({ status: 'succeeded', mode: 'live' });
  });

  it('a 429 waits for Retry-After and is then sent once; a permanent refusal goes to the dead letters', async () => {
    const h = await harness((_request, index) =>
      index === 0
        ? { status: 429, headers: { 'retry-after': '30' }, body: '' }
        : index === 2
          ? { status: 400, body: 'Bad payload received by generic incoming webhook.' }
          : { status: 200, body: '1' },
    );
    const limited = message('t2', 'Card declined');
    await h.deliver(limited, 1);
    expect(h.delays).toEqual([30_000]);
    await h.deliver(limited, 2);
    expect(h.server.received).toHaveLength(2);
    expect(await h.actions.get(limited.id)).toMatchObject({ status: 'succeeded' });

    const refused = message('t3', 'Where is my parcel?');
    await h.deliver(refused);
    expect(h.dead).toEqual([{ id: refused.id, reason: expect.stringContaining(`${c.type} refused the request (HTTP 400)`) }]);
    expect((await h.actions.get(refused.id))?.status).toBe('failed');
  });

  it('a redelivered command sends nothing again; one whose worker stopped after sending is held (teams) or resent with its key (webhook)', async () => {
    const h = await harness();
    const done = message('t4', 'Charged twice');
    await h.deliver(done, 1);
    await h.deliver(done, 2);
    expect(h.server.received).toHaveLength(1);

    // A worker claims the next command, sends it and stops before completing it; its lease runs out.
    const crashed = message('t5', 'Locked out');
    expect(await h.actions.claim(crashed, 30_000, clock.now())).toBe('claimed');
    await h.escalate(crashed);
    clockAt += 60_000;
    await h.deliver(crashed, 2);
    const keys = h.server.received.map((request) => request.headers['idempotency-key']);
    if (c.type === 'teams') {
      expect(h.server.received).toHaveLength(2);
      expect(h.held).toEqual([crashed.id]);
    } else {
      expect(keys).toEqual([done.id, crashed.id, crashed.id]);
      expect(h.held).toEqual([]);
      expect((await h.actions.get(crashed.id))?.status).toBe('succeeded');
    }
  });
});

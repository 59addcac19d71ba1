import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { createActHandler } from '../../functions/app/act-handler.js';
import type { ActionCommand } from '../../functions/core/action-command.js';
import type { CanonicalEvent } from '../../functions/core/event.js';
import { LiveSender, SandboxSender } from '../../functions/core/outbound/index.js';
import type { ActionStore } from '../../functions/core/ports.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { ticketConversation } from '../../functions/crisis/conversation.js';
import { type EscalateExecutorOptions, escalateExecutor, settleEscalation } from '../../functions/escalation/escalate-executor.js';
import type { Helpdesk, TicketStore } from '../../functions/escalation/ports.js';
import { parseTargets } from '../../functions/escalation/target-config.js';
import { DynamoActionStore } from '../../functions/storage/dynamo/action-store.js';
import { DynamoTicketStore } from '../../functions/storage/dynamo/ticket-store.js';
import { EmbeddedActionStore } from '../../functions/storage/embedded/action-store.js';
import { EmbeddedTicketStore } from '../../functions/storage/embedded/ticket-store.js';
import { useEmbeddedDatabase } from '../storage/contracts/use-embedded-database.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';
import { makeEvent } from '../support/events.js';
import {
  freshdeskInvalid,
  freshdeskRateLimited,
  jiraInvalid,
  jiraRateLimited,
  zendeskInvalid,
  zendeskRateLimited,
} from './fixtures/helpdesk-samples.js';
import { startFakeHelpdesk } from './support/fake-helpdesk.js';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

interface Case {
  helpdesk: Helpdesk;
  target(url: string): Record<string, unknown>;
  settings: Record<string, string>;
  secrets: string[];
  rateLimited: { status: number; headers?: Record<string, string>; body?: string };
  retryAfterMs: number;
  invalid: { status: number; body?: string };
  create: string;
  comment: RegExp;
  link(id: string): string;
}

const cases: Case[] = [
  {
    helpdesk: 'zendesk',
    target: (url) => ({ type: 'zendesk', url, tags: ['social'] }),
    settings: { FOGHORN_ZENDESK_EMAIL: 'agent@acme.example', FOGHORN_ZENDESK_API_TOKEN: 'zd-6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv' },
    secrets: ['zd-6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv'],
    rateLimited: zendeskRateLimited,
    retryAfterMs: 93_000,
    invalid: zendeskInvalid,
    create: 'POST /api/v2/tickets.json',
    comment: /^PUT \/api\/v2\/tickets\/\d+\.json$/,
    link: (id) => `/agent/tickets/${id}`,
  },
  {
    helpdesk: 'freshdesk',
    target: (url) => ({ type: 'freshdesk', url, tags: ['social'] }),
    settings: { FOGHORN_FRESHDESK_API_KEY: 'fd-Xxz1RbUVbY3NniPb5yJk' },
    secrets: ['fd-Xxz1RbUVbY3NniPb5yJk'],
    rateLimited: freshdeskRateLimited,
    retryAfterMs: 45_000,
    invalid: freshdeskInvalid,
    create: 'POST /api/v2/tickets',
    comment: /^POST \/api\/v2\/tickets\/\d+\/notes$/,
    link: (id) => `/a/tickets/${id}`,
  },
  {
    helpdesk: 'jira',
    target: (url) => ({ type: 'jira', url, project: 'SUP', labels: ['social'] }),
    settings: { FOGHORN_JIRA_EMAIL: 'bot@acme.example', FOGHORN_JIRA_API_TOKEN: 'ATATT3xFfGF0-jira-token-0123456789' },
    secrets: ['ATATT3xFfGF0-jira-token-0123456789'],
    rateLimited: jiraRateLimited,
    retryAfterMs: 12_000,
    invalid: jiraInvalid,
    create: 'POST /rest/api/3/issue',
    comment: /^POST \/rest\/api\/3\/issue\/SUP-\d+\/comment$/,
    link: (id) => `/browse/${id}`,
  },
];

/** Both stores a runtime keeps tickets and claims in: the embedded one (`npm start`) and DynamoDB (AWS). */
const stores: Array<{ store: string; use(): () => { tickets: TicketStore; actions: ActionStore } }> = [
  {
    store: 'lmdb',
    use() {
      const db = useEmbeddedDatabase();
      return () => ({ tickets: new EmbeddedTicketStore(db.current), actions: new EmbeddedActionStore({ database: db.current }) });
    },
  },
  {
    store: 'dynalite',
    use() {
      const dynamo = useEmbeddedDynamo();
      return () => {
        const table = { client: dynamo.current.client, tableName: dynamo.current.tableName };
        return { tickets: new DynamoTicketStore(table), actions: new DynamoActionStore(table) };
      };
    },
  },
];

describe.each(cases.flatMap((c) => stores.map((s) => ({ ...c, ...s }))))('the $helpdesk target ($store)', (c) => {
  const storesOf = c.use();
  let clockAt = Date.parse('2026-12-02T03:00:00.000Z');
  const clock = { now: () => new Date(clockAt) };

  async function harness(options: { timeoutMs?: number; settings?: Record<string, string> } = {}) {
    const fake = await startFakeHelpdesk(c.helpdesk);
    servers.push(fake);
    const targets = parseTargets({ desk: c.target(fake.url) });
    const { tickets, actions } = storesOf();
    const sandbox = new SandboxSender();
    const escalation: EscalateExecutorOptions = {
      targets: () => targets,
      settings: settingsFrom(options.settings ?? c.settings),
      live: new LiveSender({ timeoutMs: options.timeoutMs ?? 5000 }),
      sandbox,
      forceSandbox: false,
      clock,
      foghornBaseUrl: 'http://127.0.0.1:8787',
      tickets,
      conversationOf: ticketConversation,
    };
    const held: Array<{ id: string; reason: string }> = [];
    const dead: Array<{ id: string; reason: string }> = [];
    const delays: number[] = [];
    const escalate = escalateExecutor(escalation);
    const handler = createActHandler({
      actions,
      executors: { escalate },
      clock,
      leaseMs: 30_000,
      ambiguous: { settle: settleEscalation(escalation), hold: async (command, reason) => void held.push({ id: command.id, reason }) },
      deadLetters: { send: async (command, reason) => void dead.push({ id: command.id, reason }) },
      delay: async (_handle, ms) => void delays.push(ms),
      maxReceiveCount: 8,
    });
    const deliver = async (command: ActionCommand, count = 1) => {
      const event = {
        Records: [
          {
            messageId: `${command.id}-${count}`,
            receiptHandle: 'rh',
            body: JSON.stringify(command),
            attributes: { ApproximateReceiveCount: String(count) },
          },
        ],
      } as unknown as SQSEvent;
      return handler(event);
    };
    return { fake, tickets, actions, sandbox, held, dead, delays, deliver, escalate };
  }

  let sequence = 0;
  /** A customer's message in thread `thread` of the brand's account on X, and the command escalating it. */
  function message(thread: string, text: string, first = true): ActionCommand {
    sequence += 1;
    const event: CanonicalEvent = makeEvent({
      id: `x:${thread}-${sequence}`,
      platform: 'x',
      kind: 'mention',
      text,
      url: `https://x.com/sara/status/${sequence}`,
      author: { id: '7', handle: 'sara_k', name: 'Sara K' },
      channel: { id: 'brand' },
      thread: first ? { id: thread } : { id: thread, replyToId: `${thread}-1` },
    });
    return {
      id: `act_${c.helpdesk}_${thread}_${sequence}`,
      eventId: event.id,
      ruleId: 'refunds',
      index: 0,
      type: 'escalate',
      createdAt: clock.now().toISOString(),
      params: { target: 'desk', severity: 'high', summary: 'Refund not received' },
      event,
    };
  }

  const calls = (fake: { received: Array<{ method: string; url: string }> }) =>
    fake.received.map((r) => `${r.method} ${r.url.split('?')[0]}`);

  it('opens one ticket with the customer, their words and the links, and adds the next message of the conversation to it', async () => {
    const h = await harness();
    const first = message('t1', 'My refund for order 5521 never arrived');
    const second = message('t1', 'Still nothing, a week later', false);

    await h.deliver(first);
    await h.deliver(second);

    expect(calls(h.fake)).toHaveLength(2);
    expect(calls(h.fake)[0]).toBe(c.create);
    expect(calls(h.fake)[1]).toMatch(c.comment);
    expect(h.fake.tickets).toHaveLength(1);
    const [ticket] = h.fake.tickets;
    expect(ticket!.comments).toHaveLength(2);
    expect(ticket!.comments[0]).toContain('My refund for order 5521 never arrived');
    expect(ticket!.comments[0]).toContain('https://x.com/sara/status/');
    expect(ticket!.comments[0]).toContain(`http://127.0.0.1:8787/conversation/${encodeURIComponent(first.event.id)}`);
    expect(ticket!.comments[1]).toContain('Still nothing, a week later');

    const create = JSON.parse(h.fake.received[0]!.body);
    const auth = h.fake.received[0]!.headers.authorization;
    if (c.helpdesk === 'zendesk') {
      expect(create.ticket).toMatchObject({
        subject: 'Refund not received (@sara_k on x)',
        requester: { name: 'Sara K', external_id: 'x:7' },
        external_id: first.id,
        tags: ['foghorn', 'social'],
      });
      expect(h.fake.received[0]!.headers['idempotency-key']).toBe(first.id);
      expect(auth).toBe(`Basic ${Buffer.from(`agent@acme.example/token:${c.settings.FOGHORN_ZENDESK_API_TOKEN}`).toString('base64')}`);
      expect(JSON.parse(h.fake.received[1]!.body).ticket.comment.public).toBe(false);
    } else if (c.helpdesk === 'freshdesk') {
      expect(create).toMatchObject({
        subject: 'Refund not received (@sara_k on x)',
        name: 'Sara K',
        unique_external_id: 'x:7',
        status: 2,
        priority: 2,
      });
      expect(create.tags).toEqual(['foghorn', `foghorn-${first.id}`, 'social']);
      expect(auth).toBe(`Basic ${Buffer.from(`${c.settings.FOGHORN_FRESHDESK_API_KEY}:X`).toString('base64')}`);
      expect(JSON.parse(h.fake.received[1]!.body).private).toBe(true);
    } else {
      expect(create.fields).toMatchObject({
        project: { key: 'SUP' },
        issuetype: { name: 'Task' },
        summary: 'Refund not received (@sara_k on x)',
        labels: ['foghorn', `foghorn-${first.id}`, 'social'],
      });
      expect(create.fields.description).toMatchObject({ type: 'doc', version: 1 });
      expect(auth).toBe(`Basic ${Buffer.from(`bot@acme.example:${c.settings.FOGHORN_JIRA_API_TOKEN}`).toString('base64')}`);
    }

    const stored = await h.tickets.get('x|brand|t1', 'desk');
    expect(stored).toMatchObject({ status: 'open', id: ticket!.id, openedBy: first.id, helpdesk: c.helpdesk });
    expect(stored?.url).toBe(`${h.fake.url}${c.link(ticket!.id)}`);
    expect(await h.actions.get(first.id)).toMatchObject({ status: 'succeeded', mode: 'live', externalId: ticket!.id });
    expect(await h.actions.get(second.id)).toMatchObject({ status: 'succeeded', mode: 'live', externalId: ticket!.id });
    // What is recorded carries no secret.
    const recorded = JSON.stringify(await h.actions.get(first.id));
    for (const secret of c.secrets) expect(recorded).not.toContain(secret);
  });

  it('a message that arrives while the first one is opening the ticket waits, then becomes a comment on it', async () => {
    const h = await harness();
    h.fake.failNext(c.rateLimited);
    const first = message('t10', 'Double charge on my card');
    const second = message('t10', 'Any news?', false);
    await h.deliver(first, 1);
    await h.deliver(second, 1);
    expect(h.fake.received).toHaveLength(1);
    expect(h.delays).toEqual([c.retryAfterMs, 60_000]);
    expect((await h.actions.get(second.id))?.error).toContain(`is being opened by ${first.id}`);

    await h.deliver(first, 2);
    await h.deliver(second, 2);
    expect(h.fake.tickets).toHaveLength(1);
    expect(h.fake.tickets[0]!.comments).toHaveLength(2);
    expect(calls(h.fake)[2]).toMatch(c.comment);
  });

  it('a 429 with Retry-After comes back after the wait, and then opens the ticket once', async () => {
    const h = await harness();
    h.fake.failNext(c.rateLimited);
    const command = message('t2', 'The app charges me twice');
    await h.deliver(command, 1);
    expect(h.delays).toEqual([c.retryAfterMs]);
    expect(h.fake.tickets).toHaveLength(0);
    await h.deliver(command, 2);
    expect(h.fake.tickets).toHaveLength(1);
    expect((await h.tickets.get('x|brand|t2', 'desk'))?.status).toBe('open');
  });

  it('a refusal is permanent: dead-lettered with the reason, and the conversation is free for its next message', async () => {
    const h = await harness();
    h.fake.failNext(c.invalid);
    const refused = message('t3', 'Where is my parcel?');
    await h.deliver(refused);
    expect(h.dead).toEqual([{ id: refused.id, reason: expect.stringContaining(`refused the request (HTTP ${c.invalid.status})`) }]);
    expect((await h.actions.get(refused.id))?.status).toBe('failed');
    expect(await h.tickets.get('x|brand|t3', 'desk')).toBeUndefined();

    await h.deliver(message('t3', 'Hello? Where is my parcel?', false));
    expect(h.fake.tickets).toHaveLength(1);
  });

  it('a redelivered command, or one whose worker stopped after opening the ticket, opens no second ticket', async () => {
    const h = await harness();
    const command = message('t4', 'I was charged for a cancelled flight');
    await h.deliver(command, 1);
    await h.deliver(command, 2);
    expect(h.fake.tickets).toHaveLength(1);

    // A worker claims the next command, opens the ticket and stops before completing it; its lease runs out.
    const crashed = message('t5', 'My account was locked');
    expect(await h.actions.claim(crashed, 30_000, clock.now())).toBe('claimed');
    await h.escalate(crashed);
    clockAt += 60_000;
    await h.deliver(crashed, 2);
    expect(h.fake.tickets).toHaveLength(2);
    expect(calls(h.fake).filter((call) => call === c.create)).toHaveLength(2);
    expect(await h.actions.get(crashed.id)).toMatchObject({ status: 'succeeded', externalId: h.fake.tickets[1]!.id });
  });

  it('a create that timed out after the helpdesk opened it is found by its mark, never sent again', async () => {
    const h = await harness({ timeoutMs: 300 });
    h.fake.slowNext(1500);
    const command = message('t6', 'Nobody answers the phone');
    await h.deliver(command);

    expect(h.fake.tickets).toHaveLength(1);
    expect(calls(h.fake).filter((call) => call === c.create)).toHaveLength(1);
    expect(await h.actions.get(command.id)).toMatchObject({ status: 'succeeded', externalId: h.fake.tickets[0]!.id });
    expect((await h.tickets.get('x|brand|t6', 'desk'))?.id).toBe(h.fake.tickets[0]!.id);
    expect(h.held).toEqual([]);
  });

  it('a create that timed out and is not found: Zendesk is asked again with the same key, the others hold it for a person', async () => {
    const h = await harness({ timeoutMs: 300 });
    h.fake.hangNext(1500);
    const command = message('t7', 'The refund form is broken');
    await h.deliver(command, 1);
    const lookups = calls(h.fake).filter((call) => call !== c.create);
    expect(lookups).toHaveLength(1);

    if (c.helpdesk === 'zendesk') {
      expect(h.held).toEqual([]);
      await h.deliver(command, 2);
      expect(h.fake.tickets).toHaveLength(1);
      expect(h.fake.received.filter((r) => r.method === 'POST').map((r) => r.headers['idempotency-key'])).toEqual([command.id, command.id]);
      expect((await h.actions.get(command.id))?.status).toBe('succeeded');
    } else {
      expect(h.held).toEqual([{ id: command.id, reason: expect.stringContaining('search shows no ticket for it yet') }]);
      expect((await h.actions.get(command.id))?.status).toBe('unknown');
      await h.deliver(command, 2);
      expect(h.fake.tickets).toHaveLength(0);
      expect(calls(h.fake).filter((call) => call === c.create)).toHaveLength(1);
      // The reservation is dropped: the person's approved resend (its own command id) opens the ticket.
      await h.deliver({ ...command, id: `${command.id}~approved` });
      expect(h.fake.tickets).toHaveLength(1);
    }
  });

  it('a 2xx without the ticket id is looked up like a timeout, never taken as a refusal that frees the conversation', async () => {
    const h = await harness();
    h.fake.failNext({ status: 201, body: '{}' });
    const command = message('t9', 'Card blocked abroad');
    await h.deliver(command, 1);
    expect(h.dead).toEqual([]);
    expect(calls(h.fake)).toHaveLength(2);
    expect(calls(h.fake)[1]).not.toBe(c.create);
    if (c.helpdesk === 'zendesk') expect(h.held).toEqual([]);
    else expect(h.held.map((held) => held.id)).toEqual([command.id]);
  });

  it('without credentials records the exact request, secrets redacted, and opens nothing', async () => {
    const h = await harness({ settings: {} });
    const command = message('t8', 'Hi');
    await h.deliver(command);
    expect(h.fake.received).toHaveLength(0);
    const record = await h.actions.get(command.id);
    expect(record).toMatchObject({ status: 'succeeded', mode: 'sandbox' });
    expect(record?.request?.url).toBe(`${h.fake.url}${c.create.split(' ')[1]}`);
    expect(record?.request?.headers.authorization).toMatch(/^Basic \[REDACTED/);
    expect(record?.request?.body).toContain('Hi');
    expect(await h.tickets.get('x|brand|t8', 'desk')).toBeUndefined();
  });
});

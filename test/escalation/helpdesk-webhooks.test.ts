import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../functions/core/event.js';
import { canonicalEventSchema } from '../../functions/core/event.js';
import type { InboundRequest } from '../../functions/core/http.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { receiveHelpdeskWebhook } from '../../functions/escalation/helpdesk-webhooks.js';
import type { ConversationTicket, Helpdesk } from '../../functions/escalation/ports.js';
import { EmbeddedTicketStore } from '../../functions/storage/embedded/ticket-store.js';
import { useEmbeddedDatabase } from '../storage/contracts/use-embedded-database.js';
import { makeEvent } from '../support/events.js';

/** developer.zendesk.com/api-reference/webhooks/event-types/ticket-events (zen:event-type:ticket.status_changed). */
const zendeskStatusChanged = readFileSync(new URL('./fixtures/zendesk-ticket-status-changed.json', import.meta.url), 'utf8');
/** developer.atlassian.com/cloud/jira/platform/webhooks/ (jira:issue_updated with a status changelog). */
const jiraIssueUpdated = readFileSync(new URL('./fixtures/jira-issue-updated.json', import.meta.url), 'utf8');

const ZENDESK_SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';
const JIRA_SECRET = 'jira-webhook-secret-0123456789';
const now = new Date('2026-12-02T03:30:00.000Z');

/** The customer's Telegram message that opened the ticket. */
const opening: CanonicalEvent = makeEvent({
  id: 'telegram:-1001:77',
  platform: 'telegram',
  kind: 'message',
  text: 'My refund never arrived',
  author: { id: '555', handle: 'sara_k', name: 'Sara K' },
  channel: { id: '-1001' },
  thread: { id: '70' },
  meta: { chatId: -1001, messageId: 77, messageThreadId: 70 },
});

function zendeskSigned(body: string, secret = ZENDESK_SECRET, timestamp = '2026-12-02T03:29:59Z'): Record<string, string> {
  const signature = createHmac('sha256', secret)
    .update(timestamp + body)
    .digest('base64');
  return {
    'x-zendesk-webhook-signature': signature,
    'x-zendesk-webhook-signature-timestamp': timestamp,
    'content-type': 'application/json',
  };
}

function jiraSigned(body: string, secret = JIRA_SECRET): Record<string, string> {
  return { 'x-hub-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`, 'content-type': 'application/json' };
}

function request(platform: string, body: string, headers: Record<string, string>, method = 'POST'): InboundRequest {
  return { method, platform, headers, query: {}, rawBody: Buffer.from(body, 'utf8'), receivedAt: now };
}

describe('helpdesk webhooks back to Foghorn', () => {
  const db = useEmbeddedDatabase();

  async function setup(
    helpdesk: Helpdesk,
    id: string,
    settings: Record<string, string> = { FOGHORN_ZENDESK_WEBHOOK_SECRET: ZENDESK_SECRET, FOGHORN_JIRA_WEBHOOK_SECRET: JIRA_SECRET },
  ) {
    const tickets = new EmbeddedTicketStore(db.current);
    const conversation = `telegram|-1001|${helpdesk}-${id}`;
    const ticket: ConversationTicket = {
      conversation,
      target: 'support',
      helpdesk,
      status: 'opening',
      openedBy: `act_${helpdesk}_${id}`,
      createdAt: now.toISOString(),
      event: opening,
    };
    await tickets.reserve(ticket);
    await tickets.open(conversation, 'support', ticket.openedBy, { id, url: `https://acme.example/t/${id}` }, now);
    const emitted: CanonicalEvent[] = [];
    const deps = {
      tickets,
      settings: settingsFrom(settings),
      clock: { now: () => now },
      maxBodyBytes: 1_000_000,
      emit: async (event: CanonicalEvent) => void emitted.push(event),
    };
    return { deps, emitted, conversation };
  }

  it('zendesk: a verified "ticket solved" becomes a ticket.solved event in the thread that opened the ticket', async () => {
    const { deps, emitted, conversation } = await setup('zendesk', '35436');
    const answer = await receiveHelpdeskWebhook(request('zendesk', zendeskStatusChanged, zendeskSigned(zendeskStatusChanged)), deps);
    expect(answer.status).toBe(200);
    expect(emitted).toHaveLength(1);
    const [event] = emitted;
    expect(canonicalEventSchema.parse(event)).toEqual(event);
    expect(event).toMatchObject({
      id: 'telegram:ticket-solved:zendesk:35436:2025-01-08T10:12:07.672Z',
      platform: 'telegram',
      kind: 'ticket.solved',
      channel: { id: '-1001' },
      thread: { id: '70' },
      author: { id: '555' },
      meta: {
        chatId: -1001,
        messageId: 77,
        messageThreadId: 70,
        ticket: {
          helpdesk: 'zendesk',
          target: 'support',
          id: '35436',
          status: 'SOLVED',
          url: 'https://acme.example/t/35436',
          conversation,
          eventId: opening.id,
        },
      },
    });
    expect(answer.body).toEqual({ ok: true, events: [event!.id] });
  });

  it('zendesk: a trigger body ({"ticket": {"id", "status"}}) reads the same', async () => {
    const { deps, emitted } = await setup('zendesk', '35437');
    const body = JSON.stringify({ ticket: { id: '35437', status: 'Solved', updated_at: '2026-12-02T03:29:00Z' } });
    expect((await receiveHelpdeskWebhook(request('zendesk', body, zendeskSigned(body)), deps)).status).toBe(200);
    expect(emitted.map((event) => event.meta?.ticket)).toMatchObject([{ id: '35437', status: 'Solved' }]);
  });

  it('zendesk: refuses a wrong, missing or replayed-onto-another-body signature with 401, and emits nothing', async () => {
    const { deps, emitted } = await setup('zendesk', '35438');
    const wrongSecret = await receiveHelpdeskWebhook(
      request('zendesk', zendeskStatusChanged, zendeskSigned(zendeskStatusChanged, 'another-secret')),
      deps,
    );
    const unsigned = await receiveHelpdeskWebhook(request('zendesk', zendeskStatusChanged, { 'content-type': 'application/json' }), deps);
    const tampered = zendeskStatusChanged.replace('"35436"', '"35438"');
    const moved = await receiveHelpdeskWebhook(request('zendesk', tampered, zendeskSigned(zendeskStatusChanged)), deps);
    expect([wrongSecret.status, unsigned.status, moved.status]).toEqual([401, 401, 401]);
    expect(JSON.stringify(unsigned.body)).toContain('x-zendesk-webhook-signature');
    expect(emitted).toEqual([]);
  });

  it('ignores (200) a status that is not solved and a ticket Foghorn did not open; 400 on a body it cannot read', async () => {
    const { deps, emitted } = await setup('zendesk', '35439');
    const pending = JSON.stringify({ ticket: { id: '35439', status: 'pending' } });
    expect(await receiveHelpdeskWebhook(request('zendesk', pending, zendeskSigned(pending)), deps)).toMatchObject({
      status: 200,
      body: { ignored: expect.stringContaining('pending') },
    });
    const stranger = JSON.stringify({ ticket: { id: '99999', status: 'solved' } });
    expect(await receiveHelpdeskWebhook(request('zendesk', stranger, zendeskSigned(stranger)), deps)).toMatchObject({
      status: 200,
      body: { ignored: expect.stringContaining('not opened by Foghorn') },
    });
    const garbage = 'not json';
    expect(await receiveHelpdeskWebhook(request('zendesk', garbage, zendeskSigned(garbage)), deps)).toMatchObject({
      status: 400,
      body: { error: 'zendesk webhook body is not JSON' },
    });
    const shapeless = JSON.stringify({ hello: 'world' });
    expect((await receiveHelpdeskWebhook(request('zendesk', shapeless, zendeskSigned(shapeless)), deps)).status).toBe(400);
    expect(emitted).toEqual([]);
  });

  it('answers 503 naming the setting when the webhook secret is not configured, and 405 to a GET', async () => {
    const { deps } = await setup('zendesk', '35440', {});
    expect(await receiveHelpdeskWebhook(request('zendesk', zendeskStatusChanged, zendeskSigned(zendeskStatusChanged)), deps)).toMatchObject(
      {
        status: 503,
        body: { error: expect.stringContaining('FOGHORN_ZENDESK_WEBHOOK_SECRET') },
      },
    );
    const configured = await setup('zendesk', '35441');
    expect((await receiveHelpdeskWebhook(request('zendesk', '', {}, 'GET'), configured.deps)).status).toBe(405);
  });

  it('jira: a verified move into the done category is ticket.solved; a wrong X-Hub-Signature is 401', async () => {
    const { deps, emitted } = await setup('jira', 'SUP-1');
    expect((await receiveHelpdeskWebhook(request('jira', jiraIssueUpdated, jiraSigned(jiraIssueUpdated, 'nope')), deps)).status).toBe(401);
    expect(emitted).toEqual([]);
    expect((await receiveHelpdeskWebhook(request('jira', jiraIssueUpdated, jiraSigned(jiraIssueUpdated)), deps)).status).toBe(200);
    expect(emitted).toHaveLength(1);
    expect(emitted[0]).toMatchObject({
      kind: 'ticket.solved',
      platform: 'telegram',
      meta: { ticket: { helpdesk: 'jira', id: 'SUP-1', status: 'Done' } },
    });
  });

  it('freshdesk has no signed webhooks: /webhooks/freshdesk is not a helpdesk webhook', async () => {
    const { deps } = await setup('freshdesk', '1');
    expect((await receiveHelpdeskWebhook(request('freshdesk', '{}', {}), deps)).status).toBe(400);
  });
});

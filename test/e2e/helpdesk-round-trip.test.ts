import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeHelpdesk } from '../escalation/support/fake-helpdesk.js';
import { getJson, makeWorkspace, type RuntimeProcess, startRuntimeProcess, waitFor } from '../support/runtime-process.js';

/**
 * The whole round trip on the real local runtime (`npm start`): a customer's Telegram message opens a Zendesk
 * ticket (a loopback server playing the Tickets API), the agent solves it, Zendesk's signed webhook comes back,
 * and a rule answers the customer in their own topic of the group (sandboxed: no bot token is set).
 */
const COMPLAINT_RULE = `
id: refund-to-support
description: Refund complaints go to the support team's helpdesk
when:
  all:
    - { fact: kind, operator: equal, value: message }
    - { fact: text, operator: containsAny, value: ["refund"] }
then:
  - escalate:
      target: support
      severity: high
      summary: "Refund complaint"
`;

const SOLVED_RULE = `
id: thank-when-solved
description: Tell the customer when the support team solved their ticket
when:
  all:
    - { fact: kind, operator: equal, value: ticket.solved }
then:
  - reply:
      text:
        default: "fixed, thank you for telling us"
`;

const TELEGRAM_SECRET = 'e2e-telegram-secret_0123456789';
const ZENDESK_WEBHOOK_SECRET = 'e2e-zendesk-webhook-secret';

interface ActionView {
  id: string;
  eventId: string;
  ruleId: string;
  type: string;
  status: string;
  mode?: string;
  externalId?: string;
  request?: { url: string; body?: string };
}

function zendeskDelivery(url: string, body: string, secret: string) {
  const timestamp = new Date().toISOString();
  return fetch(`${url}/webhooks/zendesk`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-zendesk-webhook-signature': createHmac('sha256', secret)
        .update(timestamp + body)
        .digest('base64'),
      'x-zendesk-webhook-signature-timestamp': timestamp,
    },
    body,
  });
}

describe('a complaint to the helpdesk and back, through the local runtime', () => {
  let runtime: RuntimeProcess | undefined;
  let zendesk: Awaited<ReturnType<typeof startFakeHelpdesk>> | undefined;
  afterAll(async () => {
    await runtime?.stop();
    await zendesk?.close();
  });

  it('opens one ticket, shows it on the event, and answers "fixed" in the original thread once the ticket is solved', async () => {
    zendesk = await startFakeHelpdesk('zendesk');
    const workspace = makeWorkspace({ 'complaint.yaml': COMPLAINT_RULE, 'solved.yaml': SOLVED_RULE });
    const configPath = join(dirname(workspace.rulesDir), 'foghorn.config.yaml');
    writeFileSync(configPath, `targets:\n  support: { type: zendesk, url: "${zendesk.url}", tags: [social] }\n`);
    runtime = await startRuntimeProcess({
      ...workspace,
      env: {
        FOGHORN_CONFIG: configPath,
        FOGHORN_LOG_LEVEL: 'warn',
        FOGHORN_TELEGRAM_SECRET_TOKEN: TELEGRAM_SECRET,
        FOGHORN_ZENDESK_EMAIL: 'agent@acme.example',
        FOGHORN_ZENDESK_API_TOKEN: 'zd-e2e-token-0123456789abcdef',
        FOGHORN_ZENDESK_WEBHOOK_SECRET: ZENDESK_WEBHOOK_SECRET,
      },
    });
    const { url } = runtime;

    // A customer writes in topic 70 of the brand's Telegram group.
    const update = {
      update_id: 88001,
      message: {
        message_id: 77,
        message_thread_id: 70,
        is_topic_message: true,
        date: Math.floor(Date.now() / 1000),
        chat: { id: -1001234, type: 'supergroup', title: 'Acme customers', is_forum: true },
        from: { id: 5550, is_bot: false, first_name: 'Sara' },
        text: 'My refund for order 5521 never arrived',
      },
    };
    const delivered = await fetch(`${url}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET },
      body: JSON.stringify(update),
    });
    expect(delivered.status, await delivered.text()).toBe(200);
    const eventId = 'telegram:88001';

    const escalation = await waitFor('the ticket to be opened', async () => {
      const { actions } = await getJson<{ actions: ActionView[] }>(`${url}/api/actions?limit=100`);
      return actions.find((action) => action.eventId === eventId && action.type === 'escalate' && action.status === 'succeeded');
    });
    expect(escalation).toMatchObject({ mode: 'live', externalId: '35436' });
    expect(zendesk.tickets).toHaveLength(1);
    expect(zendesk.tickets[0]!.comments[0]).toContain('My refund for order 5521 never arrived');

    const shown = await getJson<{ tickets: Array<Record<string, unknown>> }>(`${url}/api/events/${encodeURIComponent(eventId)}`);
    expect(shown.tickets).toEqual([
      expect.objectContaining({
        target: 'support',
        helpdesk: 'zendesk',
        status: 'open',
        id: '35436',
        url: `${zendesk.url}/agent/tickets/35436`,
      }),
    ]);

    // The agent solves it; a delivery signed with another secret is refused.
    const solved = JSON.stringify({ ticket: { id: '35436', status: 'solved', updated_at: new Date().toISOString() } });
    const forged = await zendeskDelivery(url, solved, 'not-the-secret');
    expect(forged.status).toBe(401);
    const accepted = await zendeskDelivery(url, solved, ZENDESK_WEBHOOK_SECRET);
    expect(accepted.status).toBe(200);
    const { events } = (await accepted.json()) as { events: string[] };
    expect(events).toHaveLength(1);

    const reply = await waitFor('the answer to the customer', async () => {
      const { actions } = await getJson<{ actions: ActionView[] }>(`${url}/api/actions?limit=100`);
      return actions.find((action) => action.eventId === events[0] && action.type === 'reply' && action.status === 'succeeded');
    });
    expect(reply).toMatchObject({ ruleId: 'thank-when-solved', mode: 'sandbox' });
    expect(reply.request?.url).toMatch(/\/sendMessage$/);
    expect(JSON.parse(reply.request?.body ?? '{}')).toEqual({
      chat_id: -1001234,
      text: 'fixed, thank you for telling us',
      message_thread_id: 70,
      reply_parameters: { message_id: 77, allow_sending_without_reply: true },
    });
    // Nothing but the one ticket went to Zendesk: the solved event escalates nothing.
    expect(zendesk.received).toHaveLength(1);
  });
});

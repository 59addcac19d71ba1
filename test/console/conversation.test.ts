import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHelpdesk } from '../escalation/support/fake-helpdesk.js';
import { getJson, waitFor } from '../support/runtime-process.js';
import { type ConsoleHarness, genericEvent, startConsole } from './support/console-harness.js';

/**
 * The conversation page's Ticket line in Chromium: a complaint through the real local runtime opens a Zendesk
 * ticket on a loopback server playing the Tickets API (nothing leaves the machine), and the page links to it.
 */
const RULE = `
id: complaint-to-support
description: Complaints go to the support team's helpdesk
when:
  all:
    - { fact: kind, operator: equal, value: message }
then:
  - escalate:
      target: support
      severity: high
      summary: "Customer complaint"
`;

describe('the console in Chromium: the Ticket line of a conversation', () => {
  let h: ConsoleHarness;
  let zendesk: Awaited<ReturnType<typeof startFakeHelpdesk>>;
  beforeAll(async () => {
    zendesk = await startFakeHelpdesk('zendesk');
    h = await startConsole({ 'complaint.yaml': RULE }, `timezone: UTC\ntargets:\n  support: { type: zendesk, url: "${zendesk.url}" }\n`, {
      live: true,
      env: { FOGHORN_ZENDESK_EMAIL: 'agent@acme.example', FOGHORN_ZENDESK_API_TOKEN: 'zd-console-token-0123456789abcdef' },
    });
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
    await zendesk?.close();
  });

  it('shows the ticket the complaint opened, linked to the helpdesk, beside a Persian and an Arabic message', async () => {
    // Prepare
    const first = await h.post(
      genericEvent('fa-1', 'سفارش ۵۵۲۱ من هنوز نرسیده و پولم را پس نگرفته‌ام', { lang: 'fa', thread: { id: 'order-5521' } }),
    );
    expect(first.status).toBe(200);
    await waitFor('the ticket to be opened', async () => {
      const { tickets } = await getJson<{ tickets: { status: string; id?: string }[] }>(`${h.runtime.url}/api/events/generic:fa-1`);
      return tickets.find((ticket) => ticket.status === 'open' && ticket.id);
    });
    const second = await h.post(genericEvent('ar-1', 'لم يصل طلبي بعد، أرجو المساعدة', { lang: 'ar', thread: { id: 'order-5521' } }));
    expect(second.status).toBe(200);
    await waitFor('the comment on the same ticket', async () => (zendesk.tickets[0]?.comments.length === 2 ? true : undefined));
    // Act
    const { page } = h;
    await page.goto(`${h.runtime.url}/conversation/${encodeURIComponent('generic:ar-1')}`);
    // Assess
    const line = page.locator('ul.tickets > li');
    await line.first().waitFor();
    expect(await line.count()).toBe(1);
    expect(zendesk.tickets).toHaveLength(1);
    const id = zendesk.tickets[0]!.id;
    expect(await line.getAttribute('data-ticket-id')).toBe(id);
    expect((await line.textContent())?.replace(/\s+/g, ' ').trim()).toBe(`Ticket: Zendesk ${id} (support)`);
    const link = line.getByRole('link', { name: `Zendesk ${id}` });
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^${zendesk.url}/.*${id}`));
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await page.locator('.thread > li[data-event-id]').count()).toBe(2);
    await h.screenshot(page, 'conversation-ticket');
    expect(h.problems).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, waitFor } from '../support/runtime-process.js';
import { type ConsoleHarness, genericEvent, startConsole } from './support/console-harness.js';

const APOLOGY = `
id: apology
description: Park an apology to a complaint for a person to approve
when: { all: [{ fact: text, operator: containsAny, value: ["refund"] }] }
then:
  - hold:
      reason: "Apology to a complaint: approve or edit before it is sent"
      reply: { text: { default: "We are sorry, {{author.name}}. We will look into it today." } }
`;
const FAQ = `
id: faq-hours
when: { all: [{ fact: text, operator: containsAny, value: ["opening hours"] }] }
then:
  - reply: { text: { default: "We are open 9:00 to 18:00." } }
`;

const AMIR = 'امیر حسینی';

interface Approval {
  id: string;
  status: string;
  decidedBy?: string;
  decisionNote?: string;
  command?: { id: string; eventId: string; params: Record<string, unknown> };
}
interface Action {
  id: string;
  eventId: string;
  status: string;
  mode?: string;
  attempts: number;
  request?: { body?: string };
}
interface AuditEntry {
  what: string;
  who?: string;
  why?: string;
  commandId?: string;
  detail?: Record<string, unknown>;
}

describe('the console in Chromium: decisions people make', () => {
  let h: ConsoleHarness;
  const url = () => h.runtime.url;
  const approvals = async (status = 'all') =>
    (await getJson<{ approvals: Approval[] }>(`${url()}/api/approvals?status=${status}`)).approvals;
  const actions = async () => (await getJson<{ actions: Action[] }>(`${url()}/api/actions?limit=1000`)).actions;
  const audit = async () => (await getJson<{ audit: AuditEntry[] }>(`${url()}/api/audit?limit=1000`)).audit;
  const heldFor = (eventId: string) =>
    waitFor(`the approval of ${eventId}`, async () => (await approvals('pending')).find((a) => a.command?.eventId === eventId));
  const sentFor = (approval: Approval) =>
    waitFor(`the approved reply of ${approval.id}`, async () => {
      const runs = (await actions()).filter((action) => action.id === `${approval.command?.id}~approved`);
      return runs.length > 0 && runs.every((run) => run.status === 'succeeded') ? runs : undefined;
    });

  beforeAll(async () => {
    // The admin of the sign-in link is the person Amir: the pages name them so, in Persian.
    h = await startConsole(
      { 'apology.yaml': APOLOGY, 'faq.yaml': FAQ },
      ['timezone: UTC', 'people:', `  amir: { name: ${AMIR}, user: admin }`, 'teams:', '  desk: { members: [amir] }', ''].join('\n'),
    );
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('approves a held reply: the sandboxed request carries its text, once', async () => {
    // Prepare
    await h.post(genericEvent('refund-1', 'I want a refund', { author: { id: 'u1', name: 'Max' } }));
    const held = await heldFor('generic:refund-1');
    const { page } = h;
    await page.goto(`${url()}/approvals`);
    const card = page.locator(`[data-approval-id="${held.id}"]`);
    await card.waitFor();
    expect(await card.locator('.outgoing').textContent()).toBe('We are sorry, Max. We will look into it today.');
    expect(await card.locator('.outgoing').getAttribute('dir')).toBe('auto');
    await h.screenshot(page, 'approvals-held');
    // Act
    await card.getByRole('button', { name: 'Approve', exact: true }).click();
    // Assess
    await page.getByText('Approved. The reply is on its way.').waitFor();
    const runs = await sentFor(held);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ mode: 'sandbox', attempts: 1 });
    expect(runs[0]?.request?.body).toContain('We are sorry, Max. We will look into it today.');
    await expect.poll(() => card.count()).toBe(0);
    const approved = (await audit()).filter((entry) => entry.what === 'approval.approved' && entry.commandId === held.id);
    expect(approved).toEqual([expect.objectContaining({ who: 'user:admin' })]);
  });

  it('edits and approves a held reply: the sandboxed request carries the edited text, once', async () => {
    // Prepare
    await h.post(genericEvent('refund-2', 'Where is my refund?', { author: { id: 'u2', name: 'Lena' } }));
    const held = await heldFor('generic:refund-2');
    const { page } = h;
    await page.goto(`${url()}/approvals`);
    const card = page.locator(`[data-approval-id="${held.id}"]`);
    // Act
    await card.getByRole('button', { name: 'Edit and approve' }).click();
    const editor = card.getByLabel('The text to send instead');
    expect(await editor.inputValue()).toBe('We are sorry, Lena. We will look into it today.');
    expect(await editor.getAttribute('dir')).toBe('auto');
    await editor.fill('Lena, your refund was sent this morning. Sorry for the wait.');
    await card.getByRole('button', { name: 'Approve this text' }).click();
    // Assess
    await page.getByText('Approved with your text.').waitFor();
    const runs = await sentFor(held);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ mode: 'sandbox', attempts: 1 });
    expect(runs[0]?.request?.body).toContain('Lena, your refund was sent this morning. Sorry for the wait.');
    expect(runs[0]?.request?.body).not.toContain('We will look into it today');
    const approved = (await audit()).filter((entry) => entry.what === 'approval.approved' && entry.commandId === held.id);
    expect(approved).toEqual([
      expect.objectContaining({
        who: 'user:admin',
        detail: { edited: true, text: 'Lena, your refund was sent this morning. Sorry for the wait.' },
      }),
    ]);
  });

  it('rejects a held reply with a reason: nothing is sent, and the audit names the person and the reason', async () => {
    // Prepare
    await h.post(genericEvent('refund-3', 'Refund me or else', { author: { id: 'u3', name: 'Omar' } }));
    const held = await heldFor('generic:refund-3');
    const { page } = h;
    await page.goto(`${url()}/approvals`);
    const card = page.locator(`[data-approval-id="${held.id}"]`);
    // Act
    await card.getByRole('button', { name: 'Reject' }).click();
    await card.getByLabel('Why must this not go out?').fill('Legal is handling this one');
    await card.getByRole('button', { name: 'Reject with this reason' }).click();
    // Assess
    await page.getByText('Rejected. Nothing was sent.').waitFor();
    const decided = (await approvals('rejected')).find((approval) => approval.id === held.id);
    expect(decided).toMatchObject({ status: 'rejected', decidedBy: 'user:admin', decisionNote: 'Legal is handling this one' });
    expect((await actions()).filter((action) => action.id.startsWith(`${held.command?.id}~`))).toEqual([]);
    expect((await audit()).filter((entry) => entry.what === 'approval.rejected' && entry.commandId === held.id)).toEqual([
      expect.objectContaining({ who: 'user:admin', why: 'Legal is handling this one' }),
    ]);
    const row = page.locator('tr', { hasText: 'Legal is handling this one' });
    await expect.poll(() => row.locator('td').nth(3).textContent()).toBe(AMIR);
    // The name reads right to left inside its own isolate; the cell keeps the table's direction.
    const by = row.locator('td').nth(3);
    expect(await by.locator('bdi').evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).direction)).toBe(
      'rtl',
    );
    expect(await by.evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).direction)).toBe('ltr');
    await h.screenshot(page, 'approvals-decided');
  });

  it('turns crisis mode on and off with a reason, audited with the person', async () => {
    // Prepare
    const { page } = h;
    await page.goto(`${url()}/crisis`);
    await page.locator('[data-crisis="off"]').waitFor();
    // Act: on
    await page.getByRole('button', { name: 'Turn crisis mode on' }).click();
    await page.getByLabel('Why turn crisis mode on?').fill('Checkout is down for everyone');
    await page.getByRole('button', { name: 'Confirm: turn it on' }).click();
    // Assess
    await page.locator('[data-crisis="on"]').waitFor();
    await page.locator('.crisis-flag').waitFor();
    expect(await page.locator('.crisis-state').textContent()).toContain('Checkout is down for everyone');
    const on = await getJson<{ crisis: { on: boolean; by: string; why: string } }>(`${url()}/api/crisis`);
    expect(on.crisis).toMatchObject({ on: true, by: 'user:admin', why: 'Checkout is down for everyone' });
    await expect.poll(() => page.locator('.crisis-state dd').nth(1).textContent()).toBe(AMIR);
    await h.screenshot(page, 'crisis-on');
    // Act: off
    await page.getByRole('button', { name: 'Turn crisis mode off' }).click();
    await page.getByLabel('Why turn crisis mode off?').fill('Checkout works again');
    await page.getByRole('button', { name: 'Confirm: turn it off' }).click();
    // Assess
    await page.locator('[data-crisis="off"]').waitFor();
    await expect.poll(() => page.locator('.crisis-flag').count()).toBe(0);
    const switches = (await audit()).filter((entry) => entry.what === 'crisis.on' || entry.what === 'crisis.off');
    expect(switches).toEqual([
      expect.objectContaining({ what: 'crisis.off', who: 'user:admin', why: 'Checkout works again' }),
      expect.objectContaining({ what: 'crisis.on', who: 'user:admin', why: 'Checkout is down for everyone' }),
    ]);
  });

  it('redrives the dead letters: the failed command runs again', async () => {
    // Prepare: a reply that failed for good, in the actions queue's dead letters
    await h.post(genericEvent('dl-1', 'What are your opening hours?'));
    const event = await waitFor('the event', async () => (await getJson<{ event: unknown }>(`${url()}/api/events/generic%3Adl-1`)).event);
    const command = {
      id: 'act_console_redrive_test_0000000',
      eventId: 'generic:dl-1',
      ruleId: 'faq-hours',
      index: 0,
      type: 'reply',
      params: { text: 'Sorry for the wait: we are open 9:00 to 18:00.' },
      event,
      createdAt: new Date().toISOString(),
    };
    await h.runtime.queues.actions.deadLetter?.send([
      JSON.stringify({ ...command, deadLetterReason: 'the platform refused the reply (400)' }),
    ]);
    const { page } = h;
    await page.goto(`${url()}/dead-letters`);
    const queue = page.locator('[data-queue="actions"]');
    await queue.getByText('the platform refused the reply (400)').waitFor();
    await h.screenshot(page, 'dead-letters-waiting');
    // Act
    await queue.getByRole('button', { name: 'Redrive' }).click();
    // Assess
    await page.getByText('1 sent back for another try.').waitFor();
    const ran = await waitFor('the redriven reply', async () =>
      (await actions()).find((action) => action.id === command.id && action.status === 'succeeded'),
    );
    expect(ran.request?.body).toContain('Sorry for the wait');
    const letters = await getJson<{ deadLetters: Record<string, unknown[]> }>(`${url()}/api/dead-letters`);
    expect(letters.deadLetters.actions).toEqual([]);
    expect(h.problems).toEqual([]);
  });
});

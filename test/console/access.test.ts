import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, waitFor } from '../support/runtime-process.js';
import { type ConsoleHarness, genericEvent, signInAs, startConsole, userEntry } from './support/console-harness.js';

const APOLOGY = `
id: apology
description: Park an apology to a complaint for a person to approve
when: { all: [{ fact: text, operator: containsAny, value: ["refund", "پول"] }] }
then:
  - hold:
      reason: "Apology to a complaint: approve or edit before it is sent"
      reply:
        text:
          default: "We are sorry, {{author.name}}. We will look into it today."
          fa: "{{author.name}} عزیز، پوزش می‌خواهیم. امروز پیگیری می‌کنیم."
`;

const MAYA = { name: 'maya', role: 'lead', password: 'maya has a long password' };
const VERA = { name: 'vera', role: 'viewer', password: 'vera reads everything' };

interface Approval {
  id: string;
  status: string;
  command?: { eventId: string };
}

/**
 * Sign-in and what a session may do, in Chromium against the real local runtime: the one-time link, then the
 * /login form once console.users (entries from `foghorn users add`) is in the config; a viewer sees no Approve
 * button and the API refuses the viewer's approve; a page on another origin cannot switch crisis mode on.
 */
describe('the console in Chromium: sign-in, roles, and pages of other sites', () => {
  let h: ConsoleHarness;
  let held: Approval;
  const url = () => h.runtime.url;
  const pending = async () => (await getJson<{ approvals: Approval[] }>(`${url()}/api/approvals?status=pending`)).approvals;

  beforeAll(async () => {
    h = await startConsole({ 'apology.yaml': APOLOGY });
    await h.post(genericEvent('fa-refund', 'سلام، پول سفارشم هنوز برنگشته است', { author: { id: 'u-reza', name: 'رضا' }, lang: 'fa' }));
    held = await waitFor('the held Persian apology', async () =>
      (await pending()).find((approval) => approval.command?.eventId === 'generic:fa-refund'),
    );
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('signs in as admin with the one-time link the runtime printed, which works once', async () => {
    // Prepare: the harness opened the link the runtime logged on a line of its own
    expect(h.signInLink).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/login\?token=[A-Za-z0-9_-]+$/);
    expect(h.log.some((entry) => entry.split('\n').includes(h.signInLink!))).toBe(true);
    const { page } = h;
    // Act
    const me = await page.evaluate(async () => (await fetch('/api/me')).json());
    // Assess
    expect(me).toEqual({ name: 'admin', user: 'admin', role: 'admin', teams: [] });
    const cookie = (await h.context.cookies()).find((candidate) => candidate.name === 'foghorn_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).not.toContain(
      'foghorn_session',
    );
    await page.goto(`${url()}/approvals`);
    await page.locator(`[data-approval-id="${held.id}"]`).waitFor();
    await h.screenshot(page, 'approvals-persian');
    // A second browser opening the same link is not signed in
    const other = await h.browser.newContext();
    const again = await other.newPage();
    const answer = await again.goto(h.signInLink!);
    expect(answer?.status()).toBe(401);
    expect(await again.textContent('body')).toContain('was used already');
    expect((await other.cookies()).map((candidate) => candidate.name)).not.toContain('foghorn_session');
    await other.close();
  });

  it('signs in at /login with a user added by `foghorn users add`, and refuses a wrong password', async () => {
    // Prepare: console.users written from what `foghorn users add` printed
    const entries = await Promise.all([MAYA, VERA].map((user) => userEntry(user.name, user.role, user.password)));
    writeFileSync(
      join(h.root, 'foghorn.config.yaml'),
      `timezone: UTC\nconsole:\n  users:\n${entries.map((entry) => `    ${entry}`).join('\n')}\n`,
    );
    const context = await h.browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'en-GB', timezoneId: 'UTC' });
    const page = await context.newPage();
    await page.goto(`${url()}/approvals`);
    await page.waitForURL(/\/login\?next=%2Fapprovals$/);
    // Act: a wrong password
    await page.getByLabel('Name').fill(MAYA.name);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Assess
    await page.getByText('The name or the password is not right.').waitFor();
    expect((await context.cookies()).map((candidate) => candidate.name)).not.toContain('foghorn_session');
    // Act: the right one
    await page.getByLabel('Password').fill(MAYA.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Assess: back where the visitor was going, signed in as maya
    await page.waitForURL(/\/approvals$/);
    await page.locator('h1', { hasText: 'Approvals' }).waitFor();
    expect(await page.locator('header .who').textContent()).toContain('maya (lead)');
    expect(await page.evaluate(async () => (await fetch('/api/me')).json())).toEqual({
      name: 'maya',
      user: 'maya',
      role: 'lead',
      teams: [],
    });
    const cookie = (await context.cookies()).find((candidate) => candidate.name === 'foghorn_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    // Act: sign out
    await page.getByRole('button', { name: 'Sign out' }).click();
    // Assess
    await page.waitForURL(/\/login/);
    expect(await page.evaluate(async () => (await fetch('/api/me')).status)).toBe(401);
    await context.close();
  });

  it('shows a viewer no Approve button, and the API answers 403 to the viewer approving anyway', async () => {
    // Prepare
    const context = await h.browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'en-GB', timezoneId: 'UTC' });
    const page = await context.newPage();
    await signInAs(page, url(), VERA.name, VERA.password);
    await page.goto(`${url()}/approvals`);
    const card = page.locator(`[data-approval-id="${held.id}"]`);
    await card.waitFor();
    // Assess: the held reply is readable, with no decision to make
    expect(await card.locator('.outgoing').textContent()).toBe('رضا عزیز، پوزش می‌خواهیم. امروز پیگیری می‌کنیم.');
    await card.getByText('Only agents, leads and admins can decide.').waitFor();
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Edit and approve' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Reject' }).count()).toBe(0);
    await h.screenshot(page, 'approvals-viewer');
    // Act: the approve the page does not offer, from the page itself (its session cookie, its own origin, JSON)
    const answer = await page.evaluate(async (id) => {
      const response = await fetch(`/api/approvals/${encodeURIComponent(id)}/approve`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      return { status: response.status, body: (await response.json()) as { error: string } };
    }, held.id);
    // Assess
    expect(answer.status).toBe(403);
    expect(answer.body.error).toBe('this needs the agent role; vera is viewer');
    expect((await pending()).map((approval) => approval.id)).toContain(held.id);
    await context.close();
  });

  it('refuses a cross-site POST to /api/crisis/on, by a form and by fetch as text/plain: crisis mode stays off', async () => {
    // Prepare: a page served from another loopback port, opened in the signed-in browser (the cookie is same-site)
    const target = `${url()}/api/crisis/on`;
    const attacker = await serve(`<!doctype html>
<form id="form" method="post" enctype="text/plain" action="${target}">
  <input type="hidden" name='{"why":"a page of another site","x":"' value='"}'>
</form>
<button id="fetch">fetch</button>
<script>
  document.getElementById('fetch').onclick = () => {
    fetch(${JSON.stringify(target)}, {
      method: 'POST',
      mode: 'no-cors',
      credentials: 'include',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ why: 'a script of another site' }),
    }).catch(() => {});
  };
</script>`);
    const page = await h.context.newPage();
    try {
      await page.goto(attacker.url);
      // Act: the form
      const [formAnswer] = await Promise.all([
        page.waitForResponse(target),
        page.locator('#form').evaluate((form) => (form as unknown as { submit(): void }).submit()),
      ]);
      // Assess
      expect(formAnswer.status()).toBe(403);
      await page.waitForURL(target);
      expect(await page.textContent('body')).toContain("is not this runtime's: a web page cannot change Foghorn");
      // Act: fetch, as text/plain and no-cors (a request no preflight guards)
      await page.goto(attacker.url);
      const [fetchAnswer] = await Promise.all([page.waitForResponse(target), page.click('#fetch')]);
      // Assess
      expect(fetchAnswer.status()).toBe(403);
      expect(fetchAnswer.request().headers()['content-type']).toBe('text/plain');
      const { crisis } = await getJson<{ crisis: { on: boolean } }>(`${url()}/api/crisis`);
      expect(crisis.on).toBe(false);
      const { audit } = await getJson<{ audit: Array<{ what: string }> }>(`${url()}/api/audit?limit=1000`);
      expect(audit.filter((entry) => entry.what.startsWith('crisis.'))).toEqual([]);
      // The operator's own session is untouched: the refusal was the other site's origin
      expect(await h.page.evaluate(async () => (await fetch('/api/me')).status)).toBe(200);
    } finally {
      await page.close();
      await attacker.close();
    }
  });
});

/** A second HTTP server on another loopback port, serving one page. */
async function serve(html: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, waitFor } from '../support/runtime-process.js';
import { type ConsoleHarness, genericEvent, signInAs, startConsole, userEntry } from './support/console-harness.js';

/**
 * "Mine" / "My team" in the Feed and reassigning on the conversation page, in Chromium over the real local runtime:
 * its rules assign each message (`assign:` by round robin and least open), its people: and teams: say who the
 * signed-in console user is, and its own routes answer /api/me, /api/teams, /api/events with owners and the assign.
 */
const RULES = {
  'assign.yaml': `
- id: persian-desk
  when: { all: [{ fact: lang, operator: equal, value: fa }] }
  then: [{ assign: { team: persian-desk } }]
- id: press
  when: { all: [{ fact: lang, operator: equal, value: ru }] }
  then: [{ assign: { team: press } }]
- id: berlin
  when: { all: [{ fact: lang, operator: equal, value: de }] }
  then: [{ assign: { person: nima } }]
`,
};
const SARA = { name: 'sara', role: 'agent', password: 'sara-password-1234' };
const KIM = { name: 'kim', role: 'viewer', password: 'kim-password-12345' };
/** Reza's name as people: gives it, in Persian. */
const REZA = 'رضا رحیمی';

interface Owner {
  person?: string;
  team?: string;
  by: string;
}

describe('the console in Chromium: Mine, My team, and reassigning', () => {
  let h: ConsoleHarness;
  const asked: string[] = [];

  const ownerOf = async (id: string) =>
    (await getJson<{ owner: Owner | null }>(`${h.runtime.url}/api/events/${encodeURIComponent(`generic:${id}`)}`)).owner;
  /** Posts a message and waits for its rule to assign it, so the round robin's turns fall in the order posted. */
  const postAssigned = async (id: string, text: string, lang: string) => {
    expect((await h.post(genericEvent(id, text, { lang }))).status).toBe(200);
    return waitFor(`an owner for ${id}`, async () => (await ownerOf(id)) ?? undefined);
  };
  const watchListings = (page: Page) =>
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/events') asked.push(url.search);
    });

  beforeAll(async () => {
    const entries = await Promise.all([SARA, KIM].map((user) => userEntry(user.name, user.role, user.password)));
    h = await startConsole(
      RULES,
      [
        'timezone: UTC',
        'console:',
        '  users:',
        ...entries.map((entry) => `    ${entry}`),
        'people:',
        '  sara: { name: Sara Ahmadi, user: sara }',
        `  reza: { name: ${REZA} }`,
        '  olga: { name: Olga }',
        // In no team: /api/teams does not list Nima, so the console has no name for them.
        '  nima: { name: Nima }',
        'teams:',
        '  persian-desk: { members: [sara, reza], lead: sara }',
        '  press: { members: [olga], strategy: least-open }',
        '',
      ].join('\n'),
    );
    // Round robin over [sara, reza]: fa-1 is Sara's, fa-2 Reza's; the press team has only Olga; de-1 is Nima's; none-1 is nobody's.
    expect(await postAssigned('fa-1', 'سلام، سفارش من کجاست؟', 'fa')).toMatchObject({ person: 'sara', team: 'persian-desk' });
    expect(await postAssigned('fa-2', 'بازپرداخت من هنوز نیامده', 'fa')).toMatchObject({ person: 'reza', team: 'persian-desk' });
    expect(await postAssigned('ru-1', 'Здравствуйте, вопрос от прессы', 'ru')).toMatchObject({ person: 'olga', team: 'press' });
    expect(await postAssigned('de-1', 'Wo bleibt meine Bestellung?', 'de')).toEqual(expect.objectContaining({ person: 'nima' }));
    expect((await h.post(genericEvent('none-1', 'Hello, anyone?', { lang: 'en' }))).status).toBe(200);
    watchListings(h.page);
    await signInAs(h.page, h.runtime.url, SARA.name, SARA.password);
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  const rows = async () =>
    (await h.page.locator('table.feed tbody tr').evaluateAll((items) => items.map((item) => item.getAttribute('data-event-id')))).sort();

  const ownerCell = (page: Page, id: string) => page.locator(`tr[data-event-id="generic:${id}"] td.owner`);

  it('shows each line\'s owner by name, and "Mine" and "My team" ask the API for the signed-in person\'s and team\'s, kept in the address', async () => {
    const { page } = h;
    await page.goto(`${h.runtime.url}/feed`);
    await page.locator('tr[data-event-id="generic:none-1"]').waitFor();
    await expect.poll(() => ownerCell(page, 'fa-1').textContent(), { timeout: 10_000 }).toBe('Sara Ahmadi (persian-desk)');
    expect(await ownerCell(page, 'fa-2').textContent()).toBe(`${REZA} (persian-desk)`);
    expect(await ownerCell(page, 'ru-1').textContent()).toBe('Olga (press)');
    expect(await ownerCell(page, 'none-1').textContent()).toBe('Nobody');
    expect(await page.getByRole('button', { name: 'All' }).getAttribute('aria-pressed')).toBe('true');

    // The Persian name reads right to left, isolated: the row stays left to right, the team after the name.
    const [name, team] = await ownerCell(page, 'fa-2')
      .locator('bdi')
      .evaluateAll((items) =>
        items.map((item) => {
          const { left, right } = item.getBoundingClientRect();
          return { direction: item.ownerDocument.defaultView?.getComputedStyle(item).direction, left, right };
        }),
      );
    expect(name?.direction).toBe('rtl');
    expect(team?.direction).toBe('ltr');
    expect(await ownerCell(page, 'fa-2').evaluate((cell) => cell.ownerDocument.defaultView?.getComputedStyle(cell).direction)).toBe('ltr');
    expect(name!.right).toBeLessThan(team!.left);
    await h.screenshot(page, 'feed-owner-names');

    await page.getByRole('button', { name: 'Mine' }).click();
    await page.waitForURL(/\/feed\?owner=me$/);
    await expect.poll(rows).toEqual(['generic:fa-1']);
    expect(asked).toContain('?limit=100&owner=sara');
    expect(await page.getByRole('button', { name: 'Mine' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('[data-hint="whose"]').textContent()).toBe('Conversations given to you, Sara Ahmadi.');

    await page.getByRole('button', { name: 'My team' }).click();
    await page.waitForURL(/\/feed\?team=persian-desk$/);
    await expect.poll(rows).toEqual(['generic:fa-1', 'generic:fa-2']);
    expect(asked).toContain('?limit=100&team=persian-desk');
    expect(await page.locator('[data-hint="whose"]').textContent()).toBe('Conversations given to your team, persian-desk.');

    await page.goto(`${h.runtime.url}/feed?owner=reza`);
    await expect.poll(rows).toEqual(['generic:fa-2']);
    expect(await page.locator('[data-hint="whose"]').textContent()).toBe(`Conversations of ${REZA}.`);

    await page.getByRole('button', { name: 'My team' }).click();
    await page.waitForURL(/\/feed\?team=persian-desk$/);

    // The choice is in the address: a reload keeps it.
    await page.reload();
    await expect.poll(rows).toEqual(['generic:fa-1', 'generic:fa-2']);
    await h.screenshot(page, 'feed-my-team');
  });

  it('adds a live message to "Mine" only once it is the signed-in person\'s', async () => {
    const { page } = h;
    await page.goto(`${h.runtime.url}/feed?owner=me`);
    await expect.poll(rows).toEqual(['generic:fa-1']);
    await page.locator('[data-mode="live"]').waitFor();
    // The round robin's next turns: Sara, then Reza.
    expect(await postAssigned('fa-3', 'پیام تازه برای سارا', 'fa')).toMatchObject({ person: 'sara' });
    expect(await postAssigned('fa-4', 'این پیام برای رضاست', 'fa')).toMatchObject({ person: 'reza' });
    await expect.poll(rows, { timeout: 15_000 }).toEqual(['generic:fa-1', 'generic:fa-3']);
    expect(await ownerCell(page, 'fa-3').textContent()).toBe('Sara Ahmadi (persian-desk)');
  });

  it('shows the id of a person /api/teams does not list, and ids while it is still loading, then the names', async () => {
    let context: BrowserContext | undefined;
    try {
      context = await h.browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'en-GB', timezoneId: 'UTC' });
      const page = await context.newPage();
      await signInAs(page, h.runtime.url, SARA.name, SARA.password);
      // /api/teams answers only when the test lets it: until then the Feed has no names.
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let teamsAsked = 0;
      await page.route('**/api/teams', async (route) => {
        teamsAsked++;
        await held;
        await route.continue();
      });
      await page.goto(`${h.runtime.url}/feed`);
      await expect.poll(() => ownerCell(page, 'fa-1').textContent(), { timeout: 10_000 }).toBe('sara (persian-desk)');
      expect(teamsAsked).toBeGreaterThan(0);
      expect(await ownerCell(page, 'fa-2').textContent()).toBe('reza (persian-desk)');
      expect(await ownerCell(page, 'de-1').textContent()).toBe('nima');

      release();
      await expect.poll(() => ownerCell(page, 'fa-1').textContent(), { timeout: 10_000 }).toBe('Sara Ahmadi (persian-desk)');
      expect(await ownerCell(page, 'fa-2').textContent()).toBe(`${REZA} (persian-desk)`);
      // Nima is in people: but in no team, so /api/teams has no name for them: the id stands in.
      expect(await ownerCell(page, 'de-1').textContent()).toBe('nima');
      expect(await ownerCell(page, 'de-1').getAttribute('data-owner')).toBe('nima');
    } finally {
      await context?.close();
    }
    expect(h.problems).toEqual([]);
  });

  it('reassigns from the conversation page with "Assign", sending who and a request id, and shows the new owner', async () => {
    const { page } = h;
    await page.goto(`${h.runtime.url}/conversation/${encodeURIComponent('generic:fa-2')}`);
    const line = page.locator('.owner-line');
    await line.waitFor();
    await expect.poll(() => line.locator('.owner-name').textContent(), { timeout: 10_000 }).toBe(`${REZA} (persian-desk)`);
    expect(
      await line
        .locator('.owner-name bdi')
        .first()
        .evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).direction),
    ).toBe('rtl');
    expect(await line.textContent()).toContain('by rule persian-desk');
    // The choices name people by their names, teams by theirs; values stay the ids the API takes.
    const choices = await page
      .getByLabel('Assign to')
      .locator('option')
      .evaluateAll((options) => options.map((option) => [option.getAttribute('value'), option.textContent]));
    expect(choices).toEqual([
      ['', 'Choose a person or team…'],
      ['person:sara', 'Sara Ahmadi'],
      ['person:reza', REZA],
      ['person:olga', 'Olga'],
      ['team:persian-desk', 'persian-desk'],
      ['team:press', 'press'],
    ]);
    await h.screenshot(page, 'conversation-owner-persian');
    await page.getByLabel('Assign to').selectOption('person:sara');
    const sent = page.waitForRequest((request) => request.method() === 'POST' && request.url().endsWith('/assign'));
    await page.getByRole('button', { name: 'Assign' }).click();
    expect((await sent).postDataJSON()).toEqual({ person: 'sara', who: 'sara', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    await page.locator('.owner-line[data-owner="sara"]').waitFor();
    expect(await line.locator('.notice').textContent()).toContain('Assigned to Sara Ahmadi.');
    expect(await line.locator('.owner-name').textContent()).toBe('Sara Ahmadi');
    // The console user sara is the person Sara Ahmadi.
    expect(await line.textContent()).toContain('by Sara Ahmadi');
    // The runtime holds it: the owner, and the audit line of the reassignment.
    expect(await ownerOf('fa-2')).toMatchObject({ person: 'sara', by: 'user:sara' });
    const { audit } = await getJson<{ audit: Array<{ what: string; who?: string; detail?: Record<string, unknown> }> }>(
      `${h.runtime.url}/api/audit?limit=100`,
    );
    expect(audit.filter((entry) => entry.what === 'assignment.reassigned')).toEqual([
      expect.objectContaining({ who: 'user:sara', detail: expect.objectContaining({ from: expect.objectContaining({ person: 'reza' }) }) }),
    ]);
    await h.screenshot(page, 'conversation-owner');

    // The audit line of it, by name.
    await page.goto(`${h.runtime.url}/audit`);
    const reassigned = page.locator('tr[data-what="assignment.reassigned"]');
    await reassigned.waitFor();
    expect(await reassigned.locator('td').nth(1).textContent()).toContain(`Reassigned from ${REZA} (persian-desk) to Sara Ahmadi`);
    expect(await reassigned.locator('td').nth(2).textContent()).toBe('Sara Ahmadi');
    await h.screenshot(page, 'audit-assignments');
  });

  it('disables "Mine" and "My team" with a plain-words hint when the user is not linked to a person', async () => {
    let context: BrowserContext | undefined;
    try {
      context = await h.browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'en-GB', timezoneId: 'UTC' });
      const page = await context.newPage();
      await signInAs(page, h.runtime.url, KIM.name, KIM.password);
      await page.goto(`${h.runtime.url}/feed?owner=me`);
      await page.locator('[data-hint="unlinked"]').waitFor();
      expect(await page.getByRole('button', { name: 'Mine' }).isDisabled()).toBe(true);
      expect(await page.getByRole('button', { name: 'My team' }).isDisabled()).toBe(true);
      expect(await page.getByRole('button', { name: 'All' }).isDisabled()).toBe(false);
      expect(await page.locator('[data-hint="unlinked"]').textContent()).toContain(
        'Your console user kim is not linked to a person yet: ask an admin to add "user: kim" to your entry under people: in foghorn.config.yaml.',
      );
      expect(await page.locator('table.feed').count()).toBe(0);
      await h.screenshot(page, 'feed-unlinked');
    } finally {
      await context?.close();
    }
    await waitFor('no page problems', async () => (h.problems.length === 0 ? true : undefined), 1_000);
  });
});

import type { Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/runtime-process.js';
import { type ConsoleHarness, genericEvent, startConsole } from './support/console-harness.js';

/**
 * "Mine" / "My team" in the Feed and reassigning on the conversation page, in Chromium over the real local runtime
 * (its events, stream and pages). The assignment routes are played by this test's own fixture, by the contract
 * (docs/api.md): owner on /api/events items and /api/events/{id}, ?owner= and ?team=, GET /api/me with person and
 * teams, GET /api/teams, POST /api/events/{id}/assign. The runtime's own assignment store replaces it once served.
 */
interface Owner {
  person?: string;
  team?: string;
  since: string;
  by: string;
}

describe('the console in Chromium: Mine, My team, and reassigning', () => {
  let h: ConsoleHarness;
  const owners = new Map<string, Owner>();
  const assigned: Array<Record<string, unknown>> = [];
  const asked: string[] = [];
  let linked = true;
  const since = new Date().toISOString();
  const own = (id: string, owner: Omit<Owner, 'since' | 'by'>) => owners.set(`generic:${id}`, { ...owner, since, by: 'rule:persian-desk' });

  const fixture = async (route: Route) => {
    const url = new URL(route.request().url());
    const path = url.pathname;
    if (path === '/api/me') {
      const me = (await (await route.fetch()).json()) as Record<string, unknown>;
      return route.fulfill({ json: linked ? { ...me, person: 'sara', teams: ['persian-desk'] } : { ...me, teams: [] } });
    }
    if (path === '/api/teams')
      return route.fulfill({
        json: {
          teams: [
            {
              id: 'persian-desk',
              strategy: 'round-robin',
              lead: 'sara',
              members: [
                { id: 'sara', name: 'Sara', open: 1, inHours: true },
                { id: 'reza', name: 'Reza', open: 1, inHours: true },
              ],
            },
            { id: 'press', strategy: 'least-open', members: [{ id: 'olga', name: 'Olga', open: 0, inHours: true }] },
          ],
        },
      });
    const assign = /^\/api\/events\/([^/]+)\/assign$/.exec(path);
    if (assign && route.request().method() === 'POST') {
      const body = route.request().postDataJSON() as Record<string, unknown>;
      assigned.push(body);
      const id = decodeURIComponent(assign[1]!);
      const owner: Owner = {
        ...(typeof body.person === 'string' ? { person: body.person } : {}),
        ...(typeof body.team === 'string' ? { team: body.team } : {}),
        since: new Date().toISOString(),
        by: `user:${String(body.who)}`,
      };
      owners.set(id, owner);
      return route.fulfill({ json: { owner, previous: null, result: 'assigned' } });
    }
    if (path === '/api/events') {
      asked.push(url.search);
      const owner = url.searchParams.get('owner');
      const team = url.searchParams.get('team');
      url.searchParams.delete('owner');
      url.searchParams.delete('team');
      const listed = (await (await route.fetch({ url: url.toString() })).json()) as { events: Array<{ id: string }>; next: string | null };
      const events = listed.events
        .map((event): { id: string; owner?: Owner } => (owners.has(event.id) ? { ...event, owner: owners.get(event.id)! } : event))
        .filter((event) => (owner ? event.owner?.person === owner : team ? event.owner?.team === team : true));
      return route.fulfill({ json: { events, next: listed.next } });
    }
    const one = /^\/api\/events\/([^/]+)$/.exec(path);
    if (one) {
      const answer = (await (await route.fetch()).json()) as Record<string, unknown>;
      return route.fulfill({ json: { ...answer, owner: owners.get(decodeURIComponent(one[1]!)) ?? null } });
    }
    return route.fallback();
  };

  beforeAll(async () => {
    h = await startConsole({});
    await h.context.route(/\/api\/(me|teams|events)(\/|\?|$)/, fixture);
    own('fa-1', { person: 'sara', team: 'persian-desk' });
    own('fa-2', { person: 'reza', team: 'persian-desk' });
    own('ru-1', { person: 'olga', team: 'press' });
    await h.post(genericEvent('fa-1', 'سلام، سفارش من کجاست؟', { lang: 'fa' }));
    await h.post(genericEvent('fa-2', 'بازپرداخت من هنوز نیامده', { lang: 'fa' }));
    await h.post(genericEvent('ru-1', 'Здравствуйте, вопрос от прессы', { lang: 'ru' }));
    await h.post(genericEvent('none-1', 'Hello, anyone?', { lang: 'en' }));
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  const rows = async () =>
    (await h.page.locator('table.feed tbody tr').evaluateAll((items) => items.map((item) => item.getAttribute('data-event-id')))).sort();

  it('shows each line\'s owner, and "Mine" and "My team" ask the API for the signed-in person\'s and team\'s, kept in the address', async () => {
    const { page } = h;
    await page.goto(`${h.runtime.url}/feed`);
    await page.locator('tr[data-event-id="generic:none-1"]').waitFor();
    await expect
      .poll(() => page.locator('tr[data-event-id="generic:fa-1"] td.owner').textContent(), { timeout: 10_000 })
      .toBe('sara (persian-desk)');
    expect(await page.locator('tr[data-event-id="generic:none-1"] td.owner').textContent()).toBe('Nobody');
    expect(await page.getByRole('button', { name: 'All' }).getAttribute('aria-pressed')).toBe('true');

    await page.getByRole('button', { name: 'Mine' }).click();
    await page.waitForURL(/\/feed\?owner=me$/);
    await expect.poll(rows).toEqual(['generic:fa-1']);
    expect(asked).toContain('?limit=100&owner=sara');
    expect(await page.getByRole('button', { name: 'Mine' }).getAttribute('aria-pressed')).toBe('true');

    await page.getByRole('button', { name: 'My team' }).click();
    await page.waitForURL(/\/feed\?team=persian-desk$/);
    await expect.poll(rows).toEqual(['generic:fa-1', 'generic:fa-2']);
    expect(asked).toContain('?limit=100&team=persian-desk');

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
    own('fa-3', { person: 'sara', team: 'persian-desk' });
    own('fa-4', { person: 'reza', team: 'persian-desk' });
    await h.post(genericEvent('fa-4', 'این پیام برای رضاست', { lang: 'fa' }));
    await h.post(genericEvent('fa-3', 'پیام تازه برای سارا', { lang: 'fa' }));
    await expect.poll(rows, { timeout: 15_000 }).toEqual(['generic:fa-1', 'generic:fa-3']);
    expect(await page.locator('tr[data-event-id="generic:fa-3"] td.owner').textContent()).toBe('sara (persian-desk)');
  });

  it('reassigns from the conversation page with "Assign", sending who and a request id, and shows the new owner', async () => {
    const { page } = h;
    await page.goto(`${h.runtime.url}/conversation/${encodeURIComponent('generic:fa-2')}`);
    const line = page.locator('.owner-line');
    await line.waitFor();
    expect((await line.locator('span[dir="auto"]').textContent())?.trim()).toBe('reza (persian-desk)');
    await page.getByLabel('Assign to').selectOption('person:sara');
    await page.getByRole('button', { name: 'Assign' }).click();
    await page.locator('.owner-line[data-owner="sara"]').waitFor();
    expect(assigned).toEqual([{ person: 'sara', who: 'admin', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) }]);
    expect(await line.textContent()).toContain('Assigned to Sara.');
    expect(await line.textContent()).toContain('by admin');
    await h.screenshot(page, 'conversation-owner');
  });

  it('disables "Mine" and "My team" with a plain-words hint when the user is not linked to a person', async () => {
    linked = false;
    const { page } = h;
    await page.goto(`${h.runtime.url}/feed?owner=me`);
    await page.locator('[data-hint="unlinked"]').waitFor();
    expect(await page.getByRole('button', { name: 'Mine' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'My team' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'All' }).isDisabled()).toBe(false);
    expect(await page.locator('[data-hint="unlinked"]').textContent()).toContain(
      'Your console user admin is not linked to a person yet: ask an admin to add "user: admin" to your entry under people: in foghorn.config.yaml.',
    );
    expect(await page.locator('table.feed').count()).toBe(0);
    await h.screenshot(page, 'feed-unlinked');
    await waitFor('no page problems', async () => (h.problems.length === 0 ? true : undefined), 1_000);
  });
});

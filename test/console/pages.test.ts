import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, waitFor } from '../support/runtime-process.js';
import { type ConsoleHarness, genericEvent, startConsole } from './support/console-harness.js';

const FAQ = `
id: faq-hours
description: Answer questions about opening hours
when: { all: [{ fact: text, operator: containsAny, value: ["opening hours", "ساعت کاری"] }] }
then:
  - reply: { text: { default: "We are open 9:00 to 18:00." } }
`;
const WAITING = `
id: answer-within-10m
description: Escalate a message nobody answered within 10 minutes
when: { all: [{ fact: text, operator: containsAny, value: ["anyone there"] }] }
after: 10m
then:
  - tag: [waited]
`;

const CONFIG = `timezone: UTC
targets:
  oncall: { description: "On-call" }
limits:
  breaker: { perMinute: 100, cooldown: 15m, target: oncall }
`;

const PAGES = [
  { path: '/feed', name: 'Feed' },
  { path: '/conversation', name: 'Conversation' },
  { path: '/approvals', name: 'Approvals' },
  { path: '/crisis', name: 'Crisis' },
  { path: '/posts', name: 'Posts' },
  { path: '/rules', name: 'Rules' },
  { path: '/analytics', name: 'Analytics' },
  { path: '/audit', name: 'Audit' },
  { path: '/dead-letters', name: 'Dead letters' },
];

interface ActionsBody {
  actions: Array<{ id: string; eventId: string; ruleId: string; status: string; mode?: string }>;
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe('the console in Chromium: every page, the live feed, right-to-left text', () => {
  let h: ConsoleHarness;
  const url = () => h.runtime.url;
  const actionsOf = async (eventId: string) =>
    (await getJson<ActionsBody>(`${url()}/api/actions?limit=1000`)).actions.filter((action) => action.eventId === eventId);

  beforeAll(async () => {
    h = await startConsole({ 'faq.yaml': FAQ, 'waiting.yaml': WAITING }, CONFIG);
    // A conversation: the customer asks, the team answers in the thread, the customer asks again (a timer runs).
    const thread = { id: 'conv-1' };
    await h.post(genericEvent('conv-1', 'Is anyone there? My order is late', { thread, createdAt: minutesAgo(6), lang: 'en' }));
    await h.post(
      genericEvent('conv-2', 'Sorry Sara, we are looking at it now.', {
        thread: { id: 'conv-1', replyToId: 'conv-1' },
        author: { id: 'brand', name: 'Acme Support', isSelf: true },
        createdAt: minutesAgo(4),
        lang: 'en',
      }),
    );
    await h.post(genericEvent('conv-3', 'Thanks. Is anyone there still? No news yet', { thread, createdAt: minutesAgo(1), lang: 'en' }));
    await h.post(genericEvent('faq-en', 'What are your opening hours?', { lang: 'en', url: 'https://example.com/posts/faq-en' }));
    await waitFor('the seeded events to be acted on', async () => ((await actionsOf('generic:faq-en')).length > 0 ? true : undefined));
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('shows a signed webhook in the Feed within 2 s, without a reload, with its rule and its sandboxed reply', async () => {
    // Prepare
    const { page } = h;
    await page.goto(`${url()}/feed`);
    await page.locator('[data-mode="live"]').waitFor();
    await page.evaluate(() => {
      (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    // Act
    const answer = await h.post(genericEvent('live-1', 'Hello, what are your opening hours on Sunday?', { lang: 'en' }));
    // Assess
    expect(answer.status).toBe(200);
    const row = page.locator('tr[data-event-id="generic:live-1"]');
    await row.waitFor({ timeout: 2_000 });
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await expect.poll(() => row.locator('code').allTextContents()).toContain('faq-hours');
    await expect.poll(() => row.locator('[data-status="succeeded"]').textContent()).toContain('sandbox');
    expect(await row.locator('.author').textContent()).toBe('Sara');
    expect(await row.locator('.message-text').getAttribute('dir')).toBe('auto');
  });

  it('renders a Persian post right to left inside the left-to-right page', async () => {
    // Prepare
    const { page } = h;
    await page.goto(`${url()}/feed`);
    await page.locator('[data-mode="live"]').waitFor();
    // Act
    await h.post(genericEvent('fa-1', 'سلام، ساعت کاری فروشگاه شما چیست؟', { author: { id: 'u-fa', name: 'رضا' }, lang: 'fa' }));
    // Assess
    const text = page.locator('tr[data-event-id="generic:fa-1"] .message-text');
    await text.waitFor();
    expect(await text.evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).direction)).toBe('rtl');
    const author = page.locator('tr[data-event-id="generic:fa-1"] .author');
    expect(await author.evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).direction)).toBe('rtl');
    expect(await page.locator('h1').evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).direction)).toBe(
      'ltr',
    );
  });

  it('falls back to reading /api/events every few seconds where the browser cannot stream', async () => {
    // Prepare: a page without EventSource, as where the API cannot stream
    const page = await h.context.newPage();
    await page.addInitScript(() => {
      delete (globalThis as unknown as { EventSource?: unknown }).EventSource;
    });
    await page.goto(`${url()}/feed`);
    await page.locator('[data-mode="polling"]').waitFor();
    // Act
    await h.post(genericEvent('poll-1', 'Polling: what are your opening hours?'));
    // Assess
    const row = page.locator('tr[data-event-id="generic:poll-1"]');
    await row.waitFor({ timeout: 15_000 });
    await expect.poll(() => row.locator('code').allTextContents(), { timeout: 15_000 }).toContain('faq-hours');
    await page.close();
  });

  it('filters the Feed by platform, language, kind, rule and status, and links to the post', async () => {
    // Prepare
    const { page } = h;
    await page.goto(`${url()}/feed`);
    await page.locator('tr[data-event-id="generic:faq-en"]').waitFor();
    // Act: only the replies the FAQ rule sent
    await page.selectOption('select[name="rule"]', 'faq-hours');
    await page.selectOption('select[name="status"]', 'succeeded');
    await page.selectOption('select[name="lang"]', 'en');
    await page.selectOption('select[name="kind"]', 'message');
    await page.selectOption('select[name="platform"]', 'generic');
    // Assess
    const shown = () => page.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-event-id')));
    await expect.poll(shown).not.toContain('generic:conv-1');
    expect(await shown()).toContain('generic:faq-en');
    expect(await shown()).not.toContain('generic:fa-1');
    const link = page.locator('tr[data-event-id="generic:faq-en"] a[target="_blank"]');
    expect(await link.getAttribute('href')).toBe('https://example.com/posts/faq-en');
    expect(await link.getAttribute('rel')).toContain('noreferrer');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => page.locator('tbody tr[data-event-id="generic:conv-1"]').count()).toBe(1);
  });

  it('shows one conversation in order, the team answer among the customer messages, and the running response timer', async () => {
    // Prepare
    const { page } = h;
    await page.goto(`${url()}/feed`);
    // Act
    await page.locator('tr[data-event-id="generic:conv-3"]').getByRole('link', { name: 'Open conversation' }).click();
    // Assess
    await page.waitForURL(/\/conversation\/generic%3Aconv-3$/);
    expect(await page.locator('h1').textContent()).toBe('Conversation');
    const order = await page
      .locator('.thread > li[data-event-id]')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-event-id')));
    expect(order).toEqual(['generic:conv-1', 'generic:conv-2', 'generic:conv-3']);
    expect(await page.locator('li[data-event-id="generic:conv-2"]').getAttribute('class')).toContain('from-team');
    await expect
      .poll(() => page.locator('.notice').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining('Waiting for an answer')]));
    await h.screenshot(page, 'conversation');
  });

  it('shows every page with its heading, the nav links of the same names, and no refusal of the Content-Security-Policy', async () => {
    const { page } = h;
    for (const { path, name } of PAGES) {
      // Act
      await page.goto(`${url()}${path}`);
      // Assess
      await expect.poll(() => page.locator('h1').textContent(), { message: path }).toBe(name);
      const nav = await page.locator('nav a').allTextContents();
      expect(nav).toEqual(PAGES.map((p) => p.name));
      expect(await page.locator(`nav a[aria-current="page"]`).textContent()).toBe(name);
      await page.waitForLoadState('networkidle');
      await h.screenshot(page, path === '/conversation' ? 'conversation-none-chosen' : path.slice(1));
    }
    // Sign-in page, as someone not signed in sees it
    const visitor = await h.browser.newPage();
    await visitor.goto(`${url()}/approvals`);
    await visitor.waitForURL(/\/login\?next=%2Fapprovals$/);
    expect(await visitor.locator('h1').textContent()).toBe('Sign in');
    await h.screenshot(visitor, 'login');
    await visitor.close();
    expect(h.problems).toEqual([]);
  });

  it('lists each rule with its hits, last firing and breaker, and shows the error of a rejected reload', async () => {
    // Prepare
    const { page } = h;
    await page.goto(`${url()}/rules`);
    const row = page.locator('tr[data-rule-id="faq-hours"]');
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(Number(cells[2])).toBeGreaterThan(0);
    expect(cells[3]).not.toBe('Never');
    expect(cells[5]).toContain('Normal');
    // Act: a broken edit of the rules folder
    writeFileSync(
      join(h.rulesDir, 'broken.yaml'),
      'id: broken\nwhen: { all: [{ fact: txet, operator: equal, value: x }] }\nthen: [{ tag: x }]\n',
    );
    await waitFor('the rejected reload', async () => {
      const health = await getJson<{ reload: { status: string } }>(`${url()}/health`);
      return health.reload.status === 'rejected' ? true : undefined;
    });
    await page.reload();
    // Assess
    await page.locator('.reload-error').waitFor();
    expect(await page.locator('.reload-error').textContent()).toContain('broken.yaml');
    expect(await page.locator('tr[data-rule-id="faq-hours"]').count()).toBe(1);
    await h.screenshot(page, 'rules-rejected-reload');
    rmSync(join(h.rulesDir, 'broken.yaml'));
    await waitFor('the repaired reload', async () => {
      const health = await getJson<{ reload: { status: string } }>(`${url()}/health`);
      return health.reload.status === 'loaded' ? true : undefined;
    });
  });

  it('marks sandboxed actions in the Audit, and filters it by kind, user and time', async () => {
    // Prepare
    const { page } = h;
    await page.goto(`${url()}/audit`);
    // Assess: the FAQ reply was only recorded (sandbox mode)
    const sandboxed = page.locator('tr[data-sandboxed="true"]').first();
    await sandboxed.waitFor();
    expect(await sandboxed.textContent()).toContain('reply.sandboxed');
    expect(await page.locator('tr[data-what="reply.succeeded"]:not([data-sandboxed])').count()).toBe(0);
    // Act: filter by kind
    await page.selectOption('select[name="kind"]', 'action');
    // Assess
    const whats = () => page.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-what') ?? ''));
    await expect.poll(async () => (await whats()).filter((what) => !/^(reply|post|tag|hold|crisis)\./.test(what))).toEqual([]);
    expect((await whats()).length).toBeGreaterThan(0);
    // Act: by user, and a time range that ends before anything happened
    await page.selectOption('select[name="kind"]', '');
    await page.selectOption('select[name="who"]', 'rule:faq-hours');
    const byRule = () => page.locator('tbody tr td:nth-child(3)').allTextContents();
    await expect.poll(async () => [...new Set(await byRule())]).toEqual(['rule faq-hours']);
    await page.fill('input[name="until"]', '2001-01-01T00:00');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(0);
  });
});

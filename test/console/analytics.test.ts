import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, waitFor, waitForQueuesToDrain } from '../support/runtime-process.js';
import { type ConsoleHarness, genericEvent, startConsole } from './support/console-harness.js';

const FAQ = `
id: faq-hours
description: Answer questions about opening hours
when: { all: [{ fact: text, operator: containsAny, value: ["opening hours", "ساعت کاری"] }] }
then:
  - reply: { text: { default: "We are open 9:00 to 18:00.", fa: "ساعت کاری ما ۹ تا ۱۸ است." } }
`;

const MINUTE = 60_000;
const CHANNEL = 'analytics-demo';

interface Report {
  groups: Array<{ key: string; firstResponse: { count: number; p50Seconds: number | null } }>;
}

/**
 * The Analytics page in Chromium, on figures the real local runtime recorded: a scripted conversation in a channel of
 * its own (the customer at t, the brand's answer in the thread at t + 7 min, by the messages' own times) shows a first
 * response of 7 minutes, 100 % within the default 10-minute target.
 */
describe('the console in Chromium: response-time analytics', () => {
  let h: ConsoleHarness;
  const url = () => h.runtime.url;

  beforeAll(async () => {
    h = await startConsole({ 'faq.yaml': FAQ });
    // t: 10 minutes ago, to the second, so the brand's answer (t + 7 min) is in the past too.
    const t = Math.floor((Date.now() - 10 * MINUTE) / 1000) * 1000;
    await h.post(
      genericEvent('ask-1', 'My order is late, can you help?', {
        author: { id: 'sara', name: 'Sara' },
        channel: { id: CHANNEL },
        createdAt: new Date(t).toISOString(),
        lang: 'en',
      }),
    );
    await waitForQueuesToDrain(url());
    await h.post(
      genericEvent('answer-1', 'Sorry Sara, we are on it.', {
        author: { id: 'acme', name: 'Acme Support', isSelf: true },
        channel: { id: CHANNEL },
        thread: { id: 'ask-1', replyToId: 'ask-1' },
        createdAt: new Date(t + 7 * MINUTE).toISOString(),
        lang: 'en',
      }),
    );
    // Around it, in other channels: a question Foghorn answers itself, in English and in Persian.
    await h.post(genericEvent('faq-en', 'What are your opening hours?', { channel: { id: 'web' }, lang: 'en' }));
    await h.post(
      genericEvent('faq-fa', 'سلام، ساعت کاری فروشگاه شما چیست؟', {
        author: { id: 'reza', name: 'رضا' },
        channel: { id: 'web' },
        lang: 'fa',
      }),
    );
    // A direct message, whose channel names the customer: counted with the platform's other direct conversations.
    await h.post(genericEvent('dm-1', 'Is my refund on its way?', { kind: 'dm', channel: { id: 'dm-nima', direct: true }, lang: 'en' }));
    await waitForQueuesToDrain(url());
    await waitFor('the figures of the scripted conversation', async () => {
      const report = await getJson<Report>(`${url()}/api/analytics?from=24h&by=channel`);
      return report.groups.find((group) => group.key === `generic:${CHANNEL}` && group.firstResponse.count === 1);
    });
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('shows a first response of 7 minutes for the scripted conversation, 100 % within the target', async () => {
    // Prepare
    const { page } = h;
    await page.goto(`${url()}/analytics`);
    await page.locator('[data-state="figures"]').waitFor();
    expect(await page.locator('[data-figure="target"]').textContent()).toBe('10 min');
    // Act
    await page.selectOption('select[name="by"]', 'channel');
    // Assess
    const row = page.locator(`tr[data-group="generic:${CHANNEL}"]`);
    await row.waitFor();
    const p50 = row.locator('[data-figure="p50"]');
    expect(await p50.textContent()).toBe('7 min');
    expect(await p50.getAttribute('data-seconds')).toBe('420');
    expect(await row.locator('[data-figure="p90"]').getAttribute('data-seconds')).toBe('420');
    expect(await row.locator('[data-figure="within-target"]').textContent()).toBe('100%');
    expect(await page.locator('tr[data-group="generic:direct"]').textContent()).toContain('Direct messages');
    expect(await page.locator('tr[data-group="generic:dm-nima"]').count()).toBe(0);
    await page.locator('[data-chart="inbound"] canvas').first().waitFor();
    await page.waitForLoadState('networkidle');
    await h.screenshot(page, 'analytics');
  });

  it('has the numbers behind the charts as tables, for each time range', async () => {
    const { page } = h;
    for (const range of ['7d', '30d', '24h']) {
      // Act
      await page.locator(`button[data-range="${range}"]`).click();
      // Assess
      await expect.poll(() => page.locator(`button[data-range="${range}"]`).getAttribute('aria-pressed')).toBe('true');
      await page.locator('[data-state="figures"]').waitFor();
      await expect.poll(() => page.locator('table[data-table="inbound"] tbody tr').count()).toBeGreaterThanOrEqual(24);
      expect(await page.locator(`tr[data-group="generic:${CHANNEL}"] [data-figure="p50"]`).getAttribute('data-seconds')).toBe('420');
    }
    expect(await page.locator('table[data-table="top-rules"] tr[data-rule-id="faq-hours"] td.number').textContent()).toBe('2');
    expect(h.problems).toEqual([]);
  });
});

/**
 * The Analytics page by team and by person, in Chromium, on figures the real local runtime recorded: a message a
 * rule assigns to the Persian desk (sara's turn), answered by the brand 4 minutes later, and one nobody owns,
 * answered 6 minutes later.
 */
describe('the console in Chromium: response-time analytics by team and by person', () => {
  let h: ConsoleHarness;
  const url = () => h.runtime.url;

  beforeAll(async () => {
    h = await startConsole(
      {
        'desk.yaml': `
id: to-persian-desk
when: { all: [{ fact: text, operator: containsAny, value: ["persian"] }] }
then: [{ assign: { team: persian-desk } }]
`,
      },
      [
        'timezone: UTC',
        'people:',
        '  sara: { name: Sara Ahmadi }',
        '  reza: { name: Reza Karimi }',
        'teams:',
        '  persian-desk: { members: [sara, reza], strategy: round-robin }',
        '',
      ].join('\n'),
    );
    const t = Math.floor((Date.now() - 10 * MINUTE) / 1000) * 1000;
    const ask = (id: string, text: string) =>
      h.post(genericEvent(id, text, { channel: { id: CHANNEL }, thread: { id }, createdAt: new Date(t).toISOString(), lang: 'fa' }));
    const answer = (id: string, thread: string, after: number) =>
      h.post(
        genericEvent(id, 'On it.', {
          author: { id: 'acme', name: 'Acme Support', isSelf: true },
          channel: { id: CHANNEL },
          thread: { id: thread, replyToId: thread },
          createdAt: new Date(t + after).toISOString(),
        }),
      );
    await ask('owned-1', 'A persian question');
    await ask('free-1', 'Hello?');
    await waitForQueuesToDrain(url());
    await answer('owned-answer', 'owned-1', 4 * MINUTE);
    await answer('free-answer', 'free-1', 6 * MINUTE);
    await waitForQueuesToDrain(url());
    await waitFor('the figures by person', async () => {
      const report = await getJson<Report>(`${url()}/api/analytics?from=24h&by=person`);
      return report.groups.find((group) => group.key === 'sara' && group.firstResponse.count === 1);
    });
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('offers Team and Person beside the other groupings, and shows who answered how fast', async () => {
    // Prepare
    const { page } = h;
    await page.goto(`${url()}/analytics`);
    await page.locator('[data-state="figures"]').waitFor();
    expect(await page.locator('select[name="by"] option').allTextContents()).toEqual(['Platform', 'Channel', 'Language', 'Team', 'Person']);
    // Act
    await page.selectOption('select[name="by"]', 'person');
    // Assess
    const sara = page.locator('table[data-table="groups"] tr[data-group="sara"]');
    await sara.waitFor();
    // Named as in people: once the page has the teams.
    await expect.poll(() => sara.locator('th').textContent()).toBe('Sara Ahmadi');
    expect(await sara.locator('[data-figure="p50"]').getAttribute('data-seconds')).toBe('240');
    expect(await sara.locator('[data-figure="first-responses"]').textContent()).toBe('1');
    const nobody = page.locator('table[data-table="groups"] tr[data-group="(unassigned)"]');
    expect(await nobody.locator('th').textContent()).toBe('Not assigned to anyone');
    expect(await nobody.locator('[data-figure="p50"]').getAttribute('data-seconds')).toBe('360');
    expect(await page.locator('[data-note="owners"]').isVisible()).toBe(true);
    expect(await page.locator('table[data-table="groups"] thead th').allTextContents()).not.toContain('Messages in');
    await h.screenshot(page, 'analytics-by-person');

    // Act
    await page.selectOption('select[name="by"]', 'team');
    // Assess
    const desk = page.locator('table[data-table="groups"] tr[data-group="persian-desk"]');
    await desk.waitFor();
    expect(await desk.locator('[data-figure="p50"]').getAttribute('data-seconds')).toBe('240');
    expect(await page.locator('table[data-table="groups"] tr[data-group="sara"]').count()).toBe(0);

    // Back to a grouping by where: every column again.
    await page.selectOption('select[name="by"]', 'channel');
    await page.locator(`table[data-table="groups"] tr[data-group="generic:${CHANNEL}"]`).waitFor();
    expect(await page.locator('table[data-table="groups"] thead th').allTextContents()).toContain('Messages in');
    expect(await page.locator('[data-note="owners"]').count()).toBe(0);
    expect(h.problems).toEqual([]);
  });
});

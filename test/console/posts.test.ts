import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson } from '../support/runtime-process.js';
import { type ConsoleHarness, startConsole } from './support/console-harness.js';

const CONFIG = `timezone: UTC
channels:
  news: { platform: telegram, id: "@acme_news" }
`;

interface Post {
  id: string;
  status: string;
}

describe('the console in Chromium: the Posts page', () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsole({}, CONFIG);
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  /** A change as the signed-in page makes it: its session cookie, its own origin, JSON. */
  const schedule = (text: string) =>
    h.page.evaluate(
      async (body) => {
        const response = await fetch('/api/posts', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: response.status, post: ((await response.json()) as { post: { id: string } }).post };
      },
      { channel: 'news', at: new Date(Date.now() + 3_600_000).toISOString(), text },
    );
  const statusOf = async (id: string) => (await getJson<{ post: Post }>(`${h.runtime.url}/api/posts/${id}`)).post.status;

  it('lists a post a crisis suspended with Release, and a scheduled one with Cancel; each button does what it says', async () => {
    const suspended = await schedule('Flash sale tonight!');
    expect(suspended.status).toBe(201);
    await h.runtime.crisis.switchCrisis({ on: true, who: 'maya', why: 'payment outage' });
    await h.runtime.sweep();
    await h.runtime.crisis.switchCrisis({ on: false, who: 'maya', why: 'payments are back' });
    const scheduled = await schedule('سلام، ساعات کاری زمستانی');
    const arabic = await schedule(
      'يبدأ عرض الشتاء غدًا في جميع فروعنا، من الساعة التاسعة صباحًا حتى العاشرة مساءً، مع خصم ٢٠٪ على كل المنتجات',
    );
    expect(await statusOf(suspended.post.id)).toBe('suspended');

    const { page } = h;
    await page.goto(`${h.runtime.url}/posts`);
    const held = page.locator(`tr[data-post="${suspended.post.id}"]`);
    await held.getByText('Suspended by crisis mode').waitFor();
    expect(await held.textContent()).toContain('payment outage');
    await held.getByRole('button', { name: 'Release' }).click();
    await page.locator(`tr[data-post="${suspended.post.id}"][data-status="scheduled"]`).waitFor();
    expect(await statusOf(suspended.post.id)).toBe('scheduled');

    const waiting = page.locator(`tr[data-post="${scheduled.post.id}"]`);
    expect(await waiting.getByRole('button', { name: 'Release' }).count()).toBe(0);
    await waiting.getByRole('button', { name: 'Cancel' }).click();
    await page.locator(`tr[data-post="${scheduled.post.id}"][data-status="cancelled"]`).waitFor();
    expect(await statusOf(scheduled.post.id)).toBe('cancelled');
    expect(await page.locator(`tr[data-post="${scheduled.post.id}"] button`).count()).toBe(0);
    // Right-to-left texts keep their direction in the table, whole (the screenshot is looked at, too).
    const arabicText = page.locator(`tr[data-post="${arabic.post.id}"] [dir="auto"]`).first();
    expect(await arabicText.evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).direction)).toBe('rtl');
    expect(await arabicText.textContent()).toContain('خصم ٢٠٪ على كل المنتجات');
    await h.screenshot(page, 'posts');
    expect(h.problems).toEqual([]);
  });
});

import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFrom } from '../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../functions/entries/local/runtime.js';
import { postCommandId } from '../../functions/posts/scheduled-posts.js';
import { TEST_API_AUTHORIZATION, TEST_API_TOKEN } from '../support/api-token.js';
import { errorCollectingLogger } from '../support/logger.js';
import { getJson, makeWorkspace, waitForQueuesToDrain } from '../support/runtime-process.js';

/**
 * Scheduled posts through the real local runtime (in process, with an injected clock: the sweep the schedule runs
 * is run when the clock has moved). No Telegram token is set, so a published post is the sandbox's recorded request.
 */
interface Post {
  id: string;
  status: string;
  overdue: boolean;
  at: string;
  suspended?: { why?: string; crisis: { by?: string; why?: string } };
}

interface Action {
  id: string;
  eventId: string;
  ruleId: string;
  type: string;
  status: string;
  mode?: string;
  request?: { url: string; body?: string };
}

const T0 = Date.parse('2026-12-02T09:00:00.000Z');
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('scheduled posts through the local runtime', () => {
  let runtime: Runtime;
  let now = T0;
  const errors: string[] = [];
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${runtime.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...TEST_API_AUTHORIZATION },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const schedule = async (fields: Record<string, unknown>) => {
    const response = await call('POST', '/api/posts', { who: 'maya', channel: 'announcements', ...fields });
    expect(response.status, await response.clone().text()).toBe(201);
    return ((await response.json()) as { post: Post }).post;
  };
  const postOf = async (id: string) => (await getJson<{ post: Post }>(`${runtime.url}/api/posts/${id}`)).post;
  const actions = async () => (await getJson<{ actions: Action[] }>(`${runtime.url}/api/actions?limit=10000`)).actions;
  const sentFor = async (postId: string) => (await actions()).filter((action) => action.eventId === postId);
  const sweepAt = async (ms: number) => {
    now = ms;
    const report = await runtime.sweep();
    await waitForQueuesToDrain(runtime.url);
    return report;
  };

  beforeAll(async () => {
    const { dataDir, rulesDir } = makeWorkspace({ 'none.yaml': '[]\n' });
    writeFileSync(
      join(dirname(rulesDir), 'foghorn.config.yaml'),
      ['channels:', '  announcements: { platform: telegram, id: "@acme_news" }', '  support: {}'].join('\n'),
    );
    runtime = await startRuntime({
      port: 0,
      dataDir,
      rulesDir,
      logger: errorCollectingLogger(errors),
      settings: settingsFrom({ FOGHORN_API_TOKEN: TEST_API_TOKEN }),
      clock: { now: () => new Date(now) },
      crisisSweepEveryMs: 3_600_000,
    });
  }, 60_000);
  afterAll(async () => {
    expect(errors).toEqual([]);
    await runtime?.stop();
  });

  it('publishes a post at its minute, once, as a sandboxed Telegram post', async () => {
    now = T0;
    const post = await schedule({ at: iso(T0 + 5 * MINUTE + 20_000), text: 'Our winter hours start today', lang: 'en' });
    expect(post).toMatchObject({ status: 'scheduled', at: iso(T0 + 5 * MINUTE), overdue: false });

    expect((await sweepAt(T0 + 4 * MINUTE + 59_000)).postsPublished).toBe(0);
    expect(await sentFor(post.id)).toEqual([]);
    expect((await sweepAt(T0 + 5 * MINUTE)).postsPublished).toBe(1);
    const sent = await sentFor(post.id);
    expect(sent).toEqual([expect.objectContaining({ id: postCommandId(post.id), type: 'post', status: 'succeeded', mode: 'sandbox' })]);
    expect(sent[0]!.request?.url).toMatch(/\/sendMessage$/);
    expect(JSON.parse(sent[0]!.request!.body!)).toEqual({ chat_id: '@acme_news', text: 'Our winter hours start today' });
    expect(await postOf(post.id)).toMatchObject({ status: 'published' });

    // A sweep run again publishes nothing more.
    expect((await sweepAt(T0 + 5 * MINUTE + 30_000)).postsPublished).toBe(0);
    expect(await sentFor(post.id)).toHaveLength(1);
  });

  it('holds every post during a crisis and after it, until a person releases it; then it goes out once', async () => {
    now = T0 + 10 * MINUTE;
    const before = await schedule({ at: iso(T0 + 20 * MINUTE), text: 'Flash sale: 30% off!' });
    const on = await call('POST', '/api/crisis/on', { who: 'maya', why: 'payment outage' });
    expect(on.status).toBe(200);
    // Scheduled during the crisis: suspended at once, naming it.
    now = T0 + 11 * MINUTE;
    const during = await schedule({ at: iso(T0 + 12 * MINUTE), text: 'Weekend giveaway' });
    expect(during).toMatchObject({ status: 'suspended', suspended: { crisis: { by: 'maya', why: 'payment outage' } } });

    // The sweep suspends the one scheduled before; at its minute nothing goes out.
    expect((await sweepAt(T0 + 12 * MINUTE)).postsSuspended).toBe(1);
    expect(await postOf(before.id)).toMatchObject({ status: 'suspended', suspended: { crisis: { by: 'maya', why: 'payment outage' } } });
    expect((await sweepAt(T0 + 20 * MINUTE)).postsPublished).toBe(0);
    expect(await sentFor(before.id)).toEqual([]);
    // Released during the crisis: refused.
    expect((await call('POST', `/api/posts/${before.id}/release`, { who: 'li' })).status).toBe(409);

    expect((await call('POST', '/api/crisis/off', { who: 'maya', why: 'payments are back' })).status).toBe(200);
    // After the crisis the posts stay held, shown as overdue.
    expect((await sweepAt(T0 + 25 * MINUTE)).postsPublished).toBe(0);
    expect(await sentFor(before.id)).toEqual([]);
    expect(await sentFor(during.id)).toEqual([]);
    expect(await postOf(before.id)).toMatchObject({ status: 'suspended', overdue: true });
    const { posts } = await getJson<{ posts: Post[] }>(`${runtime.url}/api/posts?status=suspended`);
    expect(posts.map((post) => post.id).sort()).toEqual([before.id, during.id].sort());

    const audit = (
      await getJson<{ audit: Array<{ id: string; what: string; who?: string; why?: string }> }>(`${runtime.url}/api/audit?limit=1000`)
    ).audit;
    const suspension = audit.find((entry) => entry.what === 'post.suspended' && entry.id.startsWith(`post:${before.id}:`));
    expect(suspension?.why).toContain('by maya: payment outage');

    // Released: published on the next sweep, once; a second release and a second sweep send nothing more.
    const released = await call('POST', `/api/posts/${before.id}/release`, { who: 'li' });
    expect(await released.json()).toMatchObject({ changed: true, post: { status: 'scheduled' } });
    const again = await call('POST', `/api/posts/${before.id}/release`, { who: 'li' });
    expect(await again.json()).toMatchObject({ changed: false });
    expect((await sweepAt(T0 + 26 * MINUTE)).postsPublished).toBe(1);
    expect(await sentFor(before.id)).toEqual([expect.objectContaining({ type: 'post', status: 'succeeded', mode: 'sandbox' })]);
    expect(await (await call('POST', `/api/posts/${before.id}/release`, { who: 'li' })).json()).toMatchObject({ changed: false });
    expect((await sweepAt(T0 + 27 * MINUTE)).postsPublished).toBe(0);
    expect(await sentFor(before.id)).toHaveLength(1);

    // The other is released in bulk to a new minute: it waits for that minute.
    const bulk = await call('POST', '/api/posts/release', { who: 'li', at: iso(T0 + 40 * MINUTE) });
    expect(((await bulk.json()) as { released: Post[] }).released.map((post) => post.id)).toEqual([during.id]);
    expect((await sweepAt(T0 + 39 * MINUTE)).postsPublished).toBe(0);
    expect((await sweepAt(T0 + 40 * MINUTE)).postsPublished).toBe(1);
    expect(await sentFor(during.id)).toHaveLength(1);

    const trail = (await getJson<{ audit: Array<{ id: string; what: string; who?: string }> }>(`${runtime.url}/api/audit?limit=1000`)).audit
      .filter((entry) => entry.id.startsWith(`post:${before.id}:`))
      .map((entry) => `${entry.what} ${entry.who}`)
      .reverse();
    expect(trail).toEqual(['post.scheduled maya', 'post.suspended foghorn', 'post.released li', 'post.published foghorn']);
  });

  it('sends a post that asks for approval to the approval queue at its minute; approving sends it once', async () => {
    now = T0 + 50 * MINUTE;
    const post = await schedule({ at: iso(T0 + 51 * MINUTE), text: 'New branch opens Monday', approval: true });
    expect((await sweepAt(T0 + 51 * MINUTE)).postsPublished).toBe(1);
    expect(await sentFor(post.id)).toEqual([expect.objectContaining({ type: 'hold', status: 'held' })]);
    const { approvals } = await getJson<{ approvals: Array<{ id: string; command?: { type: string } }> }>(`${runtime.url}/api/approvals`);
    const held = approvals.find((approval) => approval.id === postCommandId(post.id));
    expect(held?.command?.type).toBe('post');
    expect((await call('POST', `/api/approvals/${held!.id}/approve`, { who: 'li' })).status).toBe(200);
    await waitForQueuesToDrain(runtime.url);
    const sent = (await sentFor(post.id)).filter((action) => action.type === 'post');
    expect(sent).toEqual([expect.objectContaining({ id: `${held!.id}~approved`, status: 'succeeded', mode: 'sandbox' })]);
  });

  it('cancels a post so it never goes out, and refuses what it cannot do, naming why', async () => {
    now = T0 + 60 * MINUTE;
    const post = await schedule({ at: iso(T0 + 61 * MINUTE), text: 'Never mind' });
    const cancelled = await call('DELETE', `/api/posts/${post.id}`, { who: 'li', why: 'wrong day' });
    expect(await cancelled.json()).toMatchObject({ changed: true, post: { status: 'cancelled' } });
    expect((await sweepAt(T0 + 61 * MINUTE)).postsPublished).toBe(0);
    expect(await sentFor(post.id)).toEqual([]);
    expect((await call('POST', `/api/posts/${post.id}/release`, { who: 'li' })).status).toBe(409);

    const refused = async (body: Record<string, unknown>) => {
      const response = await call('POST', '/api/posts', {
        who: 'maya',
        channel: 'announcements',
        text: 'x',
        at: iso(now + MINUTE),
        ...body,
      });
      expect(response.status).toBe(400);
      return ((await response.json()) as { error: string }).error;
    };
    expect(await refused({ channel: 'newsletter' })).toContain("unknown channel 'newsletter'");
    expect(await refused({ channel: 'support' })).toContain('names no platform');
    expect(await refused({ at: 'tomorrow' })).toContain("'at' must be an ISO time");
    expect(await refused({ at: iso(now - 5 * MINUTE) })).toContain('has passed');
    expect(await refused({ text: '  ' })).toContain("'text' is required");
    expect((await call('DELETE', '/api/posts/post_nope', { who: 'li' })).status).toBe(404);
  });
});

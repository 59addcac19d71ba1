import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { settingsFrom } from '../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../functions/entries/local/runtime.js';
import { TEST_API_AUTHORIZATION, TEST_API_TOKEN } from '../support/api-token.js';
import { makeWorkspace } from '../support/runtime-process.js';

/** `POST /api/posts` with an idempotency key, through the real local runtime, stopped and started again on its data. */
describe('POST /api/posts with an idempotency key', () => {
  const { dataDir, rulesDir } = makeWorkspace({ 'none.yaml': '[]\n' });
  writeFileSync(join(dirname(rulesDir), 'foghorn.config.yaml'), 'channels:\n  news: { platform: telegram, id: "@acme_news" }\n');
  let runtime: Runtime | undefined;
  const start = async () => {
    runtime = await startRuntime({
      port: 0,
      dataDir,
      rulesDir,
      logger: { info() {}, warn() {}, error() {} },
      settings: settingsFrom({ FOGHORN_API_TOKEN: TEST_API_TOKEN }),
      // An hour before the post is due: it stays scheduled, however long a start takes.
      clock: { now: () => new Date('2026-12-02T09:00:00.000Z') },
      crisisSweepEveryMs: 3_600_000,
    });
    return runtime;
  };
  afterAll(async () => {
    await runtime?.stop();
  });
  const post = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const response = await fetch(`${runtime!.url}/api/posts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...TEST_API_AUTHORIZATION, ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { post?: { id: string }; error?: string } };
  };
  const ask = { who: 'maya', channel: 'news', at: '2026-12-02T13:30:00+03:30', text: 'ساعات کاری زمستانی', lang: 'fa' };

  it('answers the same key and body with the same post (201, then 200), across a restart; another body is a 409 naming the key', async () => {
    await start();
    const first = await post(ask, { 'Idempotency-Key': 'a1b2-c3d4' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const again = await post(ask, { 'Idempotency-Key': 'a1b2-c3d4' });
    expect(again).toEqual({ status: 200, body: first.body });
    // The body's idempotencyKey is the same key.
    expect(await post({ ...ask, idempotencyKey: 'a1b2-c3d4' })).toEqual({ status: 200, body: first.body });

    await runtime!.stop();
    runtime = undefined;
    await start();
    expect(await post(ask, { 'Idempotency-Key': 'a1b2-c3d4' })).toEqual({ status: 200, body: first.body });
    const reused = await post({ ...ask, text: 'Winter hours' }, { 'Idempotency-Key': 'a1b2-c3d4' });
    expect(reused.status).toBe(409);
    expect(reused.body.error).toContain("idempotency key 'a1b2-c3d4' was already used");

    const listed = (await (await fetch(`${runtime!.url}/api/posts?status=all`)).json()) as { posts: { id: string }[] };
    expect(listed.posts.map(({ id }) => id)).toEqual([first.body.post!.id]);
  });

  it('refuses a header and a body key that differ, and a key that is not printable ASCII, with a 400 naming it', async () => {
    runtime ??= await start();
    const differ = await post({ ...ask, idempotencyKey: 'one' }, { 'Idempotency-Key': 'two' });
    expect(differ.status).toBe(400);
    expect(differ.body.error).toContain("the Idempotency-Key header ('two') and the body's idempotencyKey ('one') differ");
    const spaced = await post({ ...ask, idempotencyKey: 'has a space' });
    expect(spaced.status).toBe(400);
    expect(spaced.body.error).toContain('the idempotency key must be 1 to 255 printable ASCII characters');
    const notText = await post({ ...ask, idempotencyKey: 7 });
    expect(notText.status).toBe(400);
    expect(notText.body.error).toContain("'idempotencyKey' must be a string");
  });
});

import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { main } from '../../cli/main.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../functions/entries/local/runtime.js';
import { TEST_API_TOKEN } from '../support/api-token.js';
import { makeWorkspace, waitForQueuesToDrain } from '../support/runtime-process.js';

/** `foghorn posts` against the real local runtime (in process, its clock moved by the test). */
describe('foghorn posts', () => {
  let runtime: Runtime;
  let now = Date.parse('2026-12-02T09:00:00.000Z');
  let cwd = '';

  beforeAll(async () => {
    const { dataDir, rulesDir } = makeWorkspace({ 'none.yaml': '[]\n' });
    cwd = dirname(rulesDir);
    writeFileSync(join(cwd, 'foghorn.config.yaml'), 'channels:\n  news: { platform: telegram, id: "@acme_news" }\n');
    runtime = await startRuntime({
      port: 0,
      dataDir,
      rulesDir,
      logger: { info() {}, warn() {}, error() {} },
      settings: settingsFrom({ FOGHORN_API_TOKEN: TEST_API_TOKEN }),
      clock: { now: () => new Date(now) },
      crisisSweepEveryMs: 3_600_000,
    });
  }, 60_000);
  afterAll(async () => {
    await runtime?.stop();
  });

  async function foghorn(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      out: (text) => out.push(text),
      err: (text) => err.push(text),
      env: { FOGHORN_URL: runtime.url, FOGHORN_API_TOKEN: TEST_API_TOKEN },
      cwd,
    };
    const code = await main(['posts', ...args], io);
    return { code, out, err };
  }

  it('schedules, lists, and after a crisis releases a post in bulk; cancel and bad input answer as they should', async () => {
    const scheduled = await foghorn(
      'schedule',
      '--channel',
      'news',
      '--at',
      '2026-12-02T12:30:00+03:30',
      '--text',
      'ساعات کاری زمستانی',
      '--lang',
      'fa',
      '--json',
    );
    expect(scheduled.code, scheduled.err.join('\n')).toBe(0);
    const post = JSON.parse(scheduled.out[0]!) as { id: string; at: string; status: string };
    expect(post).toMatchObject({ at: '2026-12-02T09:00:00.000Z', status: 'scheduled' });

    await runtime.crisis.switchCrisis({ on: true, who: 'maya', why: 'flooding' });
    await runtime.sweep();
    await runtime.crisis.switchCrisis({ on: false, who: 'maya', why: 'water receded' });
    now += 10 * 60_000;
    const listed = await foghorn('list', '--status', 'suspended');
    expect(listed.out).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${post.id}  suspended \\(overdue\\)  2026-12-02T09:00:00.000Z  news \\(telegram\\)  "ساعات کاری زمستانی"  crisis mode is on .*flooding`,
        ),
      ),
    ]);

    const released = await foghorn('release', '--all-suspended', '--json');
    expect(released.code, released.err.join('\n')).toBe(0);
    expect(JSON.parse(released.out[0]!)).toMatchObject({ id: post.id, status: 'scheduled' });
    expect((await foghorn('release', post.id)).out[0]).toBe(`${post.id} was not suspended; nothing changed`);
    expect((await runtime.sweep()).postsPublished).toBe(1);
    await waitForQueuesToDrain(runtime.url);

    const cancelled = await foghorn('cancel', post.id);
    expect(cancelled.code).toBe(1);
    expect(cancelled.err.join('\n')).toContain('409');
    expect(cancelled.err.join('\n')).toContain('cannot be cancelled');
    const usage = await foghorn('schedule', '--channel', 'news', '--text', 'no time');
    expect(usage.code).toBe(2);
    expect(usage.err.join('\n')).toContain('posts schedule needs --at');
    const refused = await foghorn('schedule', '--channel', 'newz', '--at', '2026-12-02T12:00:00Z', '--text', 'x');
    expect(refused.code).toBe(1);
    expect(refused.err.join('\n')).toContain("unknown channel 'newz'");
  });

  it('retries a schedule whose answer was lost under the same Idempotency-Key, so one post is stored', async () => {
    // Between the CLI and Foghorn: the first schedule reaches Foghorn, is stored, and its answer is cut off.
    const keys: string[] = [];
    const proxy: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host'),
        );
        const answer = await fetch(`${runtime.url}${req.url}`, {
          method: req.method ?? 'GET',
          headers,
          ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
        });
        const body = await answer.text();
        if (req.method === 'POST' && req.url === '/api/posts') {
          keys.push(headers['idempotency-key'] ?? '');
          if (keys.length === 1) return void req.socket.destroy();
        }
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(body);
      });
    });
    await new Promise<void>((listening) => proxy.listen(0, '127.0.0.1', listening));
    try {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(
        ['posts', 'schedule', '--channel', 'news', '--at', '2026-12-02T13:00:00+03:30', '--text', 'تخفیف زمستانی', '--json'],
        {
          out: (line) => out.push(line),
          err: (line) => err.push(line),
          env: { FOGHORN_URL: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, FOGHORN_API_TOKEN: TEST_API_TOKEN },
          cwd,
        },
      );
      expect(code, err.join('\n')).toBe(0);
      expect(keys).toHaveLength(2);
      expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(keys[1]).toBe(keys[0]);
      const shown = JSON.parse(out[0]!) as { id: string };
      const stored = (await foghorn('list', '--json')).out.map((line) => JSON.parse(line) as { id: string; text: string });
      expect(stored.filter((post) => post.text === 'تخفیف زمستانی').map(({ id }) => id)).toEqual([shown.id]);
    } finally {
      await new Promise((closed) => proxy.close(closed));
    }
  });
});

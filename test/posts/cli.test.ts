import { writeFileSync } from 'node:fs';
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
});

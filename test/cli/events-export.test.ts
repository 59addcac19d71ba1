import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeEvent } from '../rules/support.js';
import { runFoghorn } from '../support/cli.js';
import { startLoopback } from '../support/loopback.js';

function foghorn(args: string[], env: Record<string, string> = {}, cwd = process.cwd()) {
  return runFoghorn(args, { env, cwd });
}

const at = (minute: number) => `2026-01-05T10:${String(minute).padStart(2, '0')}:00.000Z`;
const stored = (n: number) =>
  makeEvent({ id: `generic:${n}`, platform: 'generic', text: `event ${n}`, receivedAt: at(n), createdAt: at(n) });

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('foghorn events export (through the API)', () => {
  it('follows next to the end, asks every page for the same window, and prints oldest first', async () => {
    // GET /api/events answers newest first (docs/api.md); two pages here.
    const pages = [
      { events: [stored(3), stored(2)], next: 'page-2' },
      { events: [stored(1)], next: null },
    ];
    const api = await startLoopback((_request, index) => ({ status: 200, body: JSON.stringify(pages[index]) }));
    close = api.close;
    const before = Date.now();
    const result = await foghorn(['events', 'export', '--since', '7d', '--until', '2099-01-06T00:00:00Z', '--platform', 'generic'], {
      FOGHORN_URL: api.url,
    });
    expect(result.err).toEqual([`exported 3 events from ${api.url}`]);
    expect(result.code).toBe(0);
    expect(result.out.map((line) => JSON.parse(line).id)).toEqual(['generic:1', 'generic:2', 'generic:3']);
    expect(JSON.parse(result.out[0]!)).toEqual(stored(1));

    const queries = api.received.map((request) => new URL(request.url, api.url));
    expect(queries.map((query) => query.pathname)).toEqual(['/api/events', '/api/events']);
    const since = queries[0]!.searchParams.get('since')!;
    // 7d back from the time of the call, resolved once, so the cursor's filters stay the same.
    expect(Math.abs(Date.parse(since) - (before - 7 * 86_400_000))).toBeLessThan(60_000);
    for (const query of queries) {
      expect(query.searchParams.get('since')).toBe(since);
      expect(query.searchParams.get('until')).toBe('2099-01-06T00:00:00.000Z');
      expect(query.searchParams.get('platform')).toBe('generic');
      expect(query.searchParams.get('limit')).toBe('1000');
    }
    expect(queries[0]!.searchParams.has('cursor')).toBe(false);
    expect(queries[1]!.searchParams.get('cursor')).toBe('page-2');
  });

  it("takes the local runtime's port from ./.env", async () => {
    const api = await startLoopback(() => ({ status: 200, body: JSON.stringify({ events: [stored(1)], next: null }) }));
    close = api.close;
    const cwd = mkdtempSync(join(tmpdir(), 'foghorn-env-'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(cwd, '.env'), `FOGHORN_PORT=${new URL(api.url).port}\n`);
    const result = await foghorn(['events', 'export'], {}, cwd);
    expect(result.code).toBe(0);
    expect(result.out).toHaveLength(1);
  });

  it("passes the API's refusal on, exit 1", async () => {
    const api = await startLoopback(() => ({ status: 400, body: JSON.stringify({ error: "platform must be a platform name, got 'X!'" }) }));
    close = api.close;
    const result = await foghorn(['events', 'export', '--platform', 'X!', '--url', api.url]);
    expect(result.code).toBe(1);
    expect(result.err[0]).toContain("answered 400: platform must be a platform name, got 'X!'");
  });

  it('refuses a --since that is neither a time nor a duration, and a window that ends before it starts (exit 2)', async () => {
    const bad = await foghorn(['events', 'export', '--since', '7 days']);
    expect(bad.code).toBe(2);
    expect(bad.err[0]).toContain(
      "--since '7 days' is neither an ISO time such as 2026-01-05T10:00:00Z nor a duration such as 30m, 24h or 7d",
    );
    const backwards = await foghorn(['events', 'export', '--since', '1h', '--until', '2h']);
    expect(backwards.code).toBe(2);
    expect(backwards.err[0]).toContain('must be later than --since');
    expect((await foghorn(['events', 'export', '--url', 'http://x', '--data', 'd'])).code).toBe(2);
  });

  it('says when no Foghorn answers', async () => {
    const result = await foghorn(['events', 'export', '--url', 'http://127.0.0.1:9']);
    expect(result.code).toBe(1);
    expect(result.err[0]).toContain('cannot reach Foghorn at http://127.0.0.1:9');
  });
});

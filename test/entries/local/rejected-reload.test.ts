import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFrom } from '../../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../../functions/entries/local/runtime.js';
import { getJson, waitFor } from '../../support/runtime-process.js';

interface Health {
  ok: boolean;
  rules: number;
  reload?: { status: string; at: string; error?: string; problems?: number };
}

const rule = (id: string) => `id: ${id}\nwhen: { all: [{ fact: kind, operator: equal, value: review }] }\nthen: [{ tag: seen }]\n`;

/** A broken edit of the watched rules folder, seen from /health and the log, and its repair. */
describe('a rejected reload of the rules', () => {
  let runtime: Runtime;
  let dir: string;
  const logged: Array<{ level: string; message: string; detail?: Record<string, unknown> }> = [];
  const logger = {
    info: (message: string, detail?: Record<string, unknown>) => logged.push({ level: 'info', message, detail }),
    warn: (message: string, detail?: Record<string, unknown>) => logged.push({ level: 'warn', message, detail }),
    error: (message: string, detail?: Record<string, unknown>) => logged.push({ level: 'error', message, detail }),
  };
  const health = () => getJson<Health>(`${runtime.url}/health`);

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'foghorn-reload-'));
    dir = join(root, 'rules');
    writeFileSync(join(root, 'foghorn.config.yaml'), 'timezone: UTC\n');
    mkdirSync(dir);
    for (const id of ['one', 'two', 'three']) writeFileSync(join(dir, `${id}.yaml`), rule(id));
    runtime = await startRuntime({
      port: 0,
      dataDir: join(root, 'data'),
      rulesDir: dir,
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: 'x' }),
      logger,
    });
  }, 60_000);
  afterAll(async () => {
    await runtime?.stop();
  });

  it('shows the rejected reload and its first error on /health, keeps the rules in force, and logs when it clears', async () => {
    // Prepare
    expect(await health()).toMatchObject({ ok: true, rules: 3, reload: { status: 'loaded' } });
    // Act: a broken edit (a misspelt fact on line 2)
    writeFileSync(
      join(dir, 'two.yaml'),
      'id: two\nwhen: { all: [{ fact: knid, operator: equal, value: review }] }\nthen: [{ tag: seen }]\n',
    );
    const rejected = await waitFor('the rejected reload on /health', async () => {
      const body = await health();
      return body.reload?.status === 'rejected' ? body : undefined;
    });
    // Assess: still live on the previous rules, and says what is wrong and where
    expect(rejected).toMatchObject({ ok: true, rules: 3, reload: { status: 'rejected', problems: 1 } });
    expect(rejected.reload?.error).toMatch(/two\.yaml:2: two › when\.all\[0\]\.fact: unknown fact 'knid'/);
    expect(Number.isNaN(Date.parse(rejected.reload?.at ?? ''))).toBe(false);
    // Act: the repair
    writeFileSync(join(dir, 'two.yaml'), rule('two'));
    const repaired = await waitFor('the repaired reload on /health', async () => {
      const body = await health();
      return body.reload?.status === 'loaded' ? body : undefined;
    });
    // Assess
    expect(repaired).toEqual(expect.objectContaining({ ok: true, rules: 3, reload: { status: 'loaded', at: expect.any(String) } }));
    const cleared = logged.find((entry) => entry.level === 'info' && /cleared/.test(entry.message));
    expect(cleared?.detail).toMatchObject({ rules: 3, cleared: expect.stringMatching(/unknown fact 'knid'/) });
  });
});

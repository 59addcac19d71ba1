import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { main } from '../../cli/main.js';
import { getJson, makeWorkspace, type RuntimeProcess, startRuntimeProcess } from '../support/runtime-process.js';

/** The CLI against `npm start`: the runtime makes an API token at each start, and the CLI finds it in the data folder. */
describe('the foghorn command and the API token', () => {
  let runtime: RuntimeProcess;
  let dataDir: string;
  const run = async (argv: string[], env: Record<string, string>) => {
    const out: string[] = [];
    const err: string[] = [];
    // A working directory with no .env and no .foghorn/: the token comes from FOGHORN_DATA or FOGHORN_API_TOKEN only.
    const io: CliIo = {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      env: { FOGHORN_URL: runtime.url, ...env },
      cwd: mkdtempSync(join(tmpdir(), 'foghorn-cli-')),
    };
    return { code: await main(argv, io), out, err };
  };
  beforeAll(async () => {
    const workspace = makeWorkspace({});
    dataDir = workspace.dataDir;
    runtime = await startRuntimeProcess(workspace);
  }, 60_000);
  afterAll(async () => {
    await runtime?.stop();
  });

  it('switches crisis mode with the token from <FOGHORN_DATA>/api-token, audited with --who', async () => {
    const on = await run(['crisis', 'on', '--who', 'maya', '--why', 'cli token'], { FOGHORN_DATA: dataDir });

    expect(on.code, on.err.join('\n')).toBe(0);
    expect(on.out[0]).toMatch(/^crisis mode is now ON/);
    const { audit } = await getJson<{ audit: Array<{ what: string; who: string; why: string }> }>(`${runtime.url}/api/audit`);
    expect(audit[0]).toMatchObject({ what: 'crisis.on', who: 'maya', why: 'cli token' });
    const off = await run(['crisis', 'off', '--who', 'maya', '--why', 'cli token done'], { FOGHORN_DATA: dataDir });
    expect(off.code, off.err.join('\n')).toBe(0);
  });

  it('without a token, a change fails with exit 1 and says where the token is looked for; nothing changes', async () => {
    const on = await run(['crisis', 'on', '--who', 'maya', '--why', 'no token'], { FOGHORN_DATA: join(dataDir, 'elsewhere') });

    expect(on.code).toBe(1);
    expect(on.err.join('\n')).toMatch(/answered 401: sign in first: .*the CLI found no token: set FOGHORN_API_TOKEN/);
    expect((await getJson<{ crisis: { on: boolean } }>(`${runtime.url}/api/crisis`)).crisis.on).toBe(false);
  });

  it('a FOGHORN_API_TOKEN that is not the runtime’s is refused, and the message names where it came from', async () => {
    const on = await run(['crisis', 'on', '--who', 'maya', '--why', 'wrong token'], { FOGHORN_API_TOKEN: 'not-the-token-of-this-runtime' });

    expect(on.code).toBe(1);
    expect(on.err.join('\n')).toMatch(
      /answered 401: the API token is not this runtime's.*\(the CLI sent the token from FOGHORN_API_TOKEN\)/,
    );
  });

  it('a token file left by an earlier start never gets a read refused; a change names the file it sent', async () => {
    const stale = mkdtempSync(join(tmpdir(), 'foghorn-stale-'));
    writeFileSync(join(stale, 'api-token'), 'a-token-from-an-earlier-start\n');

    const status = await run(['crisis', 'status'], { FOGHORN_DATA: stale });
    const on = await run(['crisis', 'on', '--who', 'maya', '--why', 'stale token'], { FOGHORN_DATA: stale });

    expect(status.code, status.err.join('\n')).toBe(0);
    expect(on.code).toBe(1);
    expect(on.err.join('\n')).toContain(`(the CLI sent the token from ${join(stale, 'api-token')})`);
  });

  it('reads (crisis status, approvals list, audit) need no token on this machine', async () => {
    const env = { FOGHORN_DATA: join(dataDir, 'elsewhere') };
    expect((await run(['crisis', 'status'], env)).code).toBe(0);
    expect((await run(['approvals', 'list'], env)).code).toBe(0);
    expect((await run(['audit'], env)).code).toBe(0);
  });
});

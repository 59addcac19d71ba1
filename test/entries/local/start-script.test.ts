import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LEXICON_LANGUAGES } from '../../../functions/rules/lang/lexicon/languages.js';

const MANIFEST = 'node_modules/.cache/foghorn/local-runtime.inputs.json';

/** `npm start` as package.json runs it, on a free port and a fresh data folder; resolves with its URL once it listens. */
function startScript(nodeOptions: string[] = []): { child: ChildProcess; listening: Promise<string>; output: () => string } {
  const root = mkdtempSync(join(tmpdir(), 'foghorn-start-'));
  const child = spawn(process.execPath, [...nodeOptions, 'functions/entries/local/start.js'], {
    cwd: process.cwd(),
    env: { ...process.env, FOGHORN_PORT: '0', FOGHORN_DATA: join(root, 'data'), FOGHORN_GENERIC_SECRET: 'start-secret' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /foghorn is listening \{"url":"([^"]+)"\}/.exec(output)?.[1];
      if (url) resolve(url);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`start.js exited with ${code} before listening:\n${output}`)));
  });
  return { child, listening, output: () => output };
}

function builtAt(): number {
  return (JSON.parse(readFileSync(MANIFEST, 'utf8')) as { startedAt: number }).startedAt;
}

describe('npm start (functions/entries/local/start.js): main.ts precompiled, rebuilt when a source changes', () => {
  let running: ChildProcess | undefined;
  afterEach(async () => {
    const child = running;
    running = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });

  const startAndCheck = async () => {
    const { child, listening } = startScript();
    running = child;
    const url = await listening;
    expect(await (await fetch(`${url}/health`)).json()).toMatchObject({ ok: true, storage: { engine: 'embedded' } });
    // The console is built from console/src, which the bundle must find from node_modules/.cache/foghorn/.
    const page = await fetch(`${url}/feed`);
    expect({ status: page.status, type: page.headers.get('content-type') }).toEqual({
      status: 200,
      type: expect.stringContaining('text/html'),
    });
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  };

  it('serves from the bundle, and builds it again once one of its sources is newer', async () => {
    // Prepare: a current bundle.
    await startAndCheck();
    const first = builtAt();
    const inputs = (JSON.parse(readFileSync(MANIFEST, 'utf8')) as { inputs: string[] }).inputs;
    expect(inputs).toContain('functions/entries/local/main.ts');
    expect(inputs).toContain('functions/entries/local/runtime.ts');
    // The lexicon's word lists are data the bundled code reads from words/ beside it; a changed list rebuilds.
    const { folder } = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { folder: string };
    const lists = LEXICON_LANGUAGES.map((lang) => `${lang}.json`).sort();
    expect(readdirSync(join('node_modules/.cache/foghorn', folder, 'words')).sort()).toEqual(lists);
    expect(inputs).toEqual(expect.arrayContaining(lists.map((list) => `functions/rules/lang/lexicon/words/${list}`)));

    // Act: one of its sources changes.
    const changed = new Date();
    utimesSync('functions/entries/local/runtime-settings.ts', changed, changed);
    await startAndCheck();

    // Assess
    expect(builtAt()).toBeGreaterThan(first);
  }, 60_000);

  it('on the embedded store (the default), never loads the AWS SDK: the DynamoDB stores are imported only in that mode', async () => {
    const { child, listening, output } = startScript(['--import', './test/entries/local/fixtures/report-aws-sdk-modules.mjs']);
    running = child;
    const url = await listening;
    expect(await (await fetch(`${url}/health`)).json()).toMatchObject({ ok: true, storage: { engine: 'embedded' } });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    expect(output()).toContain('aws-sdk modules loaded: 0\n');
  }, 60_000);
});

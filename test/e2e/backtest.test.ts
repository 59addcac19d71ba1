import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalEventSchema } from '../../functions/core/event.js';
import { runFoghorn } from '../support/cli.js';
import { getJson, makeWorkspace, postGeneric, type RuntimeProcess, startRuntimeProcess, waitFor } from '../support/runtime-process.js';

const run = promisify(execFile);

const rule = (id: string, words: string[], then: string) =>
  `id: ${id}\nwhen: { all: [{ fact: text, operator: containsAny, value: ${JSON.stringify(words)} }] }\nthen: [${then}]\n`;
const REPLY = '{ reply: { text: { default: "We are on it." } } }';
const TAG = '{ tag: [refund] }';

/** The rules in force: help answers "help"; refund tags "refund". */
const LIVE = { 'help.yaml': rule('e2e-help', ['help'], REPLY), 'refund.yaml': rule('e2e-refund', ['refund'], TAG) };
/** The change under test: help also answers "support", refund is gone, thanks is new. */
const CHANGED = { 'help.yaml': rule('e2e-help', ['help', 'support'], REPLY), 'thanks.yaml': rule('e2e-thanks', ['thanks'], TAG) };

const POSTS: Array<[string, string]> = [
  ['bt-1', 'I need help'],
  ['bt-2', 'support please, my order is late'],
  ['bt-3', 'refund my order'],
  ['bt-4', 'thanks a lot'],
  ['bt-5', 'help, I want a refund'],
];

/** bin/foghorn.js as a user runs it, in `cwd` with `env`. */
async function foghorn(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/foghorn.js', ...args], {
      env: { ...process.env, ...env },
      timeout: 30_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The CLI in this process, with its output joined as a process would write it. */
async function foghornHere(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, out, err } = await runFoghorn(args, { env });
  return { code, stdout: out.map((line) => `${line}\n`).join(''), stderr: err.join('\n') };
}

/** The table row of a rule, as its cells (two or more spaces apart). */
function row(stdout: string, ruleId: string): string[] {
  const line = stdout.split('\n').find((candidate) => candidate.startsWith(`${ruleId} `));
  if (line === undefined) throw new Error(`no row for ${ruleId} in:\n${stdout}`);
  return line.trim().split(/\s{2,}/);
}

describe('events export and backtest against npm start', () => {
  let runtime: RuntimeProcess;
  let workspace: { dataDir: string; rulesDir: string };
  let changedDir: string;
  let archive: string;

  beforeAll(async () => {
    workspace = makeWorkspace(LIVE);
    changedDir = join(dirname(workspace.rulesDir), 'changed');
    mkdirSync(changedDir);
    for (const [name, text] of Object.entries(CHANGED)) writeFileSync(join(changedDir, name), text);
    archive = join(dirname(workspace.rulesDir), 'events.jsonl');
    runtime = await startRuntimeProcess({ ...workspace, env: { FOGHORN_GENERIC_REPLY_URL: '', FOGHORN_LOG_LEVEL: 'warn' } });
    for (const [id, text] of POSTS) {
      const answer = await postGeneric(runtime.url, { id, kind: 'message', text, author: { id: `u-${id}` }, channel: { id: 'support' } });
      expect(answer.status).toBe(200);
    }
    await waitFor('the five events', async () => {
      const { events } = await getJson<{ events: unknown[] }>(`${runtime.url}/api/events?limit=100`);
      return events.length === POSTS.length ? true : undefined;
    });
  }, 60_000);
  afterAll(async () => {
    await runtime?.stop();
  });

  it('exports the stored events through the API, one canonical event a line, oldest first', async () => {
    const result = await foghorn(['events', 'export', '--since', '1h', '--platform', 'generic'], { FOGHORN_URL: runtime.url });
    expect(result.stderr).toContain(`exported 5 events from ${runtime.url}`);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    const events = lines.map((line) => canonicalEventSchema.parse(JSON.parse(line)));
    expect(events.map((event) => event.id)).toEqual(POSTS.map(([id]) => `generic:${id}`));
    expect(events.map((event) => event.text)).toEqual(POSTS.map(([, text]) => text));
    writeFileSync(archive, result.stdout);

    const none = await foghornHere(['events', 'export', '--since', '1h', '--platform', 'telegram'], { FOGHORN_URL: runtime.url });
    expect([none.code, none.stdout]).toEqual([0, '']);
  });

  it('refuses to read the data folder while the runtime holds it, and says to use the API', async () => {
    const result = await foghornHere(['events', 'export', '--data', workspace.dataDir], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the data folder ${workspace.dataDir} is held by a running Foghorn`);
    expect(result.stderr).toContain("read it through that runtime's API instead");
  });

  it('backtests the changed rules on the exported archive: per rule would fire, fires now, the difference, samples', async () => {
    const result = await foghorn(['backtest', '--rules', changedDir, '--live', workspace.rulesDir, '--events', archive], {});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`replayed 5 events from ${archive}`);
    expect(row(result.stdout, 'rule')).toEqual(['rule', 'would fire', 'fires now', 'difference']);
    expect(row(result.stdout, 'e2e-help')).toEqual(['e2e-help', '3', '2', '+1']);
    expect(row(result.stdout, 'e2e-thanks')).toEqual(['e2e-thanks', '1', '0', '+1', 'new rule']);
    expect(row(result.stdout, 'e2e-refund')).toEqual(['e2e-refund', '0', '2', '-2', 'removed']);
    expect(result.stdout).toContain('e2e-help: would fire, does not now (1):\n    generic:bt-2  support please, my order is late');
    expect(result.stdout).toContain(
      'e2e-refund: fires now, would not (2):\n    generic:bt-3  refund my order\n    generic:bt-5  help, I want a refund',
    );
    // No progress bar: stderr is not a terminal.
    expect(result.stderr).not.toContain('replaying');
  });

  it('backtests straight from the runtime, against the rules folder it reads, with --json', async () => {
    const result = await foghornHere(['backtest', '--rules', changedDir, '--since', '1h', '--json'], {
      FOGHORN_URL: runtime.url,
      FOGHORN_RULES: workspace.rulesDir,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { events: number; rules: Array<Record<string, unknown>> };
    expect(report.events).toBe(5);
    expect(report.rules.map(({ rule, wouldFire, firesNow, difference }) => ({ rule, wouldFire, firesNow, difference }))).toEqual([
      { rule: 'e2e-help', wouldFire: 3, firesNow: 2, difference: 1 },
      { rule: 'e2e-thanks', wouldFire: 1, firesNow: 0, difference: 1 },
      { rule: 'e2e-refund', wouldFire: 0, firesNow: 2, difference: -2 },
    ]);
  });

  it('exports from the data folder once the runtime has stopped', async () => {
    await runtime.stop();
    const result = await foghornHere(['events', 'export', '--data', workspace.dataDir, '--since', '1h'], {});
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).id),
    ).toEqual(POSTS.map(([id]) => `generic:${id}`));
  });
});

import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleDir } from '../rules/support.js';
import { makeWorkspace, type RuntimeProcess, startRuntimeProcess } from '../support/runtime-process.js';

const run = promisify(execFile);
const BIN = join(process.cwd(), 'bin/foghorn.js');

/** The environment without any FOGHORN_* variable, so only what a test gives (or ./.env) counts. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('FOGHORN_')));
  return { ...env, ...extra };
}

/** Runs bin/foghorn.js as a user would, with plain node, in `cwd`. */
async function foghorn(args: string[], cwd = process.cwd(), env = cleanEnv()) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd, env, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const CONFIG = 'targets: { oncall: {} }\n';
const BAD = 'id: bad\nwhen: { all: [{ fact: txt, operator: equal, value: 1 }] }\nthen: [{ escalate: { target: pager, summary: s } }]\n';
const FAILING = `id: faq
when: { all: [{ fact: text, operator: containsAny, value: ["hours"] }] }
then: [{ reply: { text: "9 to 18" } }]
tests:
  - name: fires
    event: { text: "hours?" }
    expect: { fires: true, actions: [{ type: reply, text: "nine to six" }] }
`;

describe('foghorn help and version', () => {
  it('--help prints every command to stdout and exits 0', async () => {
    const result = await foghorn(['--help']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    for (const name of ['rules', 'evaluate', 'events', 'backtest', 'crisis', 'approvals', 'audit'])
      expect(result.stdout).toMatch(new RegExp(`\\n  ${name}\\b`));
  });

  it.each([
    [
      ['crisis', '--help'],
      ['--who <name>', '--why <text>', '--json', '--url <url>'],
    ],
    [
      ['rules', '--help'],
      ['validate', 'test'],
    ],
    [
      ['rules', 'validate', '--help'],
      ['--config <file>', '--json', '--format <format>'],
    ],
    [['rules', 'test', '-h'], ['--json']],
    [
      ['evaluate', '--help'],
      ['--rules <dir>', '--events <file>', '--explain', '--now'],
    ],
    [
      ['events', 'export', '--help'],
      ['--since <time>', '--until <time>', '--platform <name>', '--url <url>', '--data <dir>'],
    ],
    [
      ['backtest', '--help'],
      ['--rules <dir>', '--live <dir>', '--events <file>', '--since <time>', '--data <dir>', '--json'],
    ],
    [
      ['approvals', '--help'],
      ['--status <status>', '--who <name>', '--reason <text>'],
    ],
    [
      ['help', 'audit'],
      ['--limit <n>', '--json'],
    ],
  ])('%j prints its options to stdout and exits 0', async (args, options) => {
    const result = await foghorn(args);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: foghorn /);
    for (const option of options) expect(result.stdout).toContain(option);
  });

  it("--version prints package.json's version", async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const result = await foghorn(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('unknown options and commands: a clear message on stderr, exit 2', async () => {
    const option = await foghorn(['crisis', '--bogus']);
    expect(option.code).toBe(2);
    expect(option.stdout).toBe('');
    expect(option.stderr).toContain("unknown option '--bogus'");
    const command = await foghorn(['rulez']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain("unknown command 'rulez'");
    expect(command.stderr).toContain('rules');
    const sub = await foghorn(['rules', 'check']);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain("unknown command 'check'");
  });

  it('--help and --version answer without loading tsx or any command (so they start at Node speed)', async () => {
    // Only the command tree and commander: a copy with no tsx and no cli/commands can still answer them.
    const copy = mkdtempSync(join(tmpdir(), 'foghorn-cli-bare-'));
    for (const file of ['bin/foghorn.js', 'cli/program.js', 'package.json']) cpSync(file, join(copy, file));
    mkdirSync(join(copy, 'node_modules'));
    symlinkSync(join(process.cwd(), 'node_modules/commander'), join(copy, 'node_modules/commander'));
    const bare = (args: string[]) => run(process.execPath, [join(copy, 'bin/foghorn.js'), ...args], { timeout: 30_000 });
    expect((await bare(['--help'])).stdout).toContain('Usage: foghorn');
    expect((await bare(['crisis', '--help'])).stdout).toContain('--who <name>');
    expect((await bare(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('foghorn rules: machine-readable output', () => {
  it('validate --json: the problems as one JSON object, exit 1', async () => {
    const dir = ruleDir({ 'foghorn.config.yaml': CONFIG, 'rules/bad.yaml': BAD });
    const result = await foghorn(['rules', 'validate', join(dir, 'rules'), '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { valid: boolean; files: number; problems: Array<Record<string, unknown>> };
    expect(report).toMatchObject({ valid: false, files: 1 });
    expect(report.problems).toEqual([
      expect.objectContaining({ line: 2, ruleId: 'bad', path: 'when.all[0].fact', message: "unknown fact 'txt' (did you mean 'text'?)" }),
      expect.objectContaining({ line: 3, ruleId: 'bad', path: 'then[0].escalate.target' }),
    ]);
  });

  it('validate --json on a valid set: valid true, exit 0', async () => {
    const result = await foghorn(['rules', 'validate', 'rules', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ valid: true, problems: [] });
  });

  it('validate --format github: one annotation per problem, on its file and line', async () => {
    const dir = ruleDir({ 'foghorn.config.yaml': CONFIG, 'rules/bad.yaml': BAD });
    const result = await foghorn(['rules', 'validate', 'rules', '--format', 'github'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')).toContain(
      "::error file=rules/bad.yaml,line=2,title=foghorn › bad › when.all[0].fact::unknown fact 'txt' (did you mean 'text'?)",
    );
  });

  it('test --json: every result, the failures named, exit 1', async () => {
    const dir = ruleDir({ 'foghorn.config.yaml': CONFIG, 'rules/faq.yaml': FAILING });
    const result = await foghorn(['rules', 'test', join(dir, 'rules'), '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { passed: number; failed: number; results: Array<{ passed: boolean; failures: string[] }> };
    expect(report).toMatchObject({ passed: 0, failed: 1 });
    expect(report.results[0]?.failures).toEqual(['action 1: expected text "nine to six", got "9 to 18"']);
  });
});

describe('foghorn crisis status against the real runtime', () => {
  let runtime: RuntimeProcess;
  beforeAll(async () => {
    runtime = await startRuntimeProcess(
      makeWorkspace({
        'faq.yaml': 'id: faq\nwhen: { all: [{ fact: text, operator: containsAny, value: ["x"] }] }\nthen: [{ reply: { text: "y" } }]\n',
      }),
    );
  }, 40_000);
  afterAll(async () => {
    await runtime?.stop();
  });

  it('reads FOGHORN_PORT from ./.env (and --json prints the state)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'foghorn-cli-env-'));
    writeFileSync(join(cwd, '.env'), `# the local runtime\nFOGHORN_PORT=${new URL(runtime.url).port}\n`);
    const result = await foghorn(['crisis', 'status', '--json'], cwd);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ on: false });
    const text = await foghorn(['crisis', 'status'], cwd);
    expect(text.stdout).toBe('crisis mode is off\n');
  });

  it('a variable already set wins over ./.env', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'foghorn-cli-env-'));
    writeFileSync(join(cwd, '.env'), 'FOGHORN_PORT=9\n');
    const result = await foghorn(['crisis', 'status'], cwd, cleanEnv({ FOGHORN_URL: runtime.url }));
    expect(result.code).toBe(0);
  });
});

describe('foghorn in a pipe', () => {
  it('stops quietly with exit 0 when the reader closes the pipe early (foghorn --help | head -1)', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [BIN, '--help'], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    // Close our end before the help is written, as `head` does once it has its line.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  });
});

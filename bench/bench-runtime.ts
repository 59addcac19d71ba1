/**
 * The local runtime under the end-to-end bench: `npm start` itself (whatever the start script is, so the
 * bench measures what a user runs), as its own process, on a fresh temporary data folder with one auto-reply
 * rule, a free port and every outbound call sandboxed.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEVELOPMENT_GENERIC_SECRET } from '../functions/entries/local/runtime-settings.js';
import { type BenchProcess, startBenchProcess } from './child-process.js';
import { innermostNodeProcess } from './process-stats.js';

export const BENCH_SECRET = DEVELOPMENT_GENERIC_SECRET;

// A plain auto-reply: no per-minute ceiling (none in the config either), so no limit state is written for
// it; the always-on cap on replies per author stays, as in any team's config.
const AUTO_REPLY_RULE = `id: bench-auto-reply
description: Answers every generic message, so each webhook decides exactly one reply
when:
  all:
    - { fact: kind, operator: equal, value: message }
then:
  - reply:
      text:
        default: "Thanks {{author.name}}, we are looking into it."
`;

const CONFIG = 'timezone: UTC\n';

export interface BenchRuntime {
  url: string;
  /** The process that runs the runtime (under npm, its shell and tsx's launcher), for /proc. */
  pid: number;
  /** npm start to "foghorn is listening", ms. */
  startMs: number;
  /** The start script npm ran. */
  command: string;
  stop(): Promise<void>;
}

const REPO = resolve(import.meta.dirname, '..');
/** What `npm start` runs (package.json), for FOGHORN_BENCH_NODE_FLAGS. */
const START_SCRIPT = 'functions/entries/local/start.js';

export async function startBenchRuntime(): Promise<BenchRuntime> {
  const dir = mkdtempSync(join(tmpdir(), 'foghorn-bench-e2e-'));
  mkdirSync(join(dir, 'rules'));
  writeFileSync(join(dir, 'rules', 'auto-reply.yaml'), AUTO_REPLY_RULE);
  writeFileSync(join(dir, 'foghorn.config.yaml'), CONFIG);
  // Under `npm run bench`, npm names itself; run directly (npx tsx bench/run.ts), npm is found on the PATH.
  const npmCli = process.env.npm_execpath;
  // For profiling (`--cpu-prof --cpu-prof-dir=…`): Node refuses such flags in NODE_OPTIONS, so the start script runs
  // under them directly, without npm.
  const nodeFlags = process.env.FOGHORN_BENCH_NODE_FLAGS?.split(' ').filter(Boolean);
  const [command, args] = nodeFlags?.length
    ? [process.execPath, [...nodeFlags, START_SCRIPT]]
    : npmCli?.endsWith('.js')
      ? [process.execPath, [npmCli, 'start']]
      : ['npm', ['start']];
  let started: BenchProcess;
  try {
    started = await startBenchProcess({
      name: 'npm start',
      command,
      args,
      cwd: REPO,
      env: {
        ...process.env,
        FOGHORN_PORT: '0',
        FOGHORN_DATA: join(dir, 'data'),
        FOGHORN_RULES: join(dir, 'rules'),
        FOGHORN_CONFIG: join(dir, 'foghorn.config.yaml'),
        FOGHORN_GENERIC_SECRET: BENCH_SECRET,
        FOGHORN_GENERIC_REPLY_URL: '',
        FOGHORN_SANDBOX: 'true',
        npm_config_update_notifier: 'false',
      },
      ready: /foghorn is listening \{"url":"([^"]+)"/,
      timeoutMs: 60_000,
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const pid = started.child.pid === undefined ? undefined : innermostNodeProcess(started.child.pid);
  const stop = async (): Promise<void> => {
    await started.stop(pid);
    rmSync(dir, { recursive: true, force: true });
  };
  if (pid === undefined) {
    await stop();
    throw new Error('npm start: the runtime process could not be found under it in /proc');
  }
  return { url: started.ready, pid, startMs: started.startMs, command: startScript(), stop };
}

function startScript(): string {
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  return manifest.scripts?.start ?? 'npm start';
}

/**
 * A server the bench starts as its own process: spawned, awaited until its output shows that it listens,
 * its output drained (a full pipe would stall it) and kept for error messages, and stopped by its id.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export interface BenchProcess {
  child: ChildProcess;
  /** The `ready` pattern's first group (the URL or port it printed). */
  ready: string;
  /** Spawn to the ready line, ms. */
  startMs: number;
  /** The end of what it printed. */
  output(): string;
  /** SIGTERM to `pid` (default: the spawned process), then SIGKILL to both if it has not exited within 15 s. */
  stop(pid?: number): Promise<void>;
}

const KEPT_OUTPUT = 8_000;

export function startBenchProcess(options: {
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  ready: RegExp;
  timeoutMs: number;
}): Promise<BenchProcess> {
  const started = performance.now();
  const child = spawn(options.command, options.args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-KEPT_OUTPUT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  const stop = async (pid = child.pid): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || pid === undefined) return;
    signal(pid, 'SIGTERM');
    const outcome = await Promise.race([exited.then(() => 'exited' as const), sleep(15_000).then(() => 'late' as const)]);
    if (outcome === 'late') {
      signal(pid, 'SIGKILL');
      if (child.pid !== undefined && child.pid !== pid) signal(child.pid, 'SIGKILL');
      await exited;
    }
  };

  return new Promise<BenchProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${options.name} did not report listening within ${options.timeoutMs} ms:\n${output.slice(-2000)}`));
    }, options.timeoutMs);
    let seen = '';
    const watch = (chunk: Buffer): void => {
      seen += chunk.toString('utf8');
      const match = options.ready.exec(seen);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.stdout?.off('data', watch);
      child.stderr?.off('data', watch);
      seen = '';
      resolve({ child, ready: match[1], startMs: performance.now() - started, output: () => output, stop });
    };
    child.stdout?.on('data', watch);
    child.stderr?.on('data', watch);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} could not be started (${options.command}): ${error.message}`));
    });
    child.once('exit', (code, exitSignal) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited (${exitSignal ?? code}) before listening:\n${output.slice(-2000)}`));
    });
  });
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { signGeneric } from '../../functions/platforms/generic/verify.js';

export const TEST_GENERIC_SECRET = 'e2e-generic-secret';

export interface RuntimeProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL: no chance to flush or clean up. */
  kill(): Promise<void>;
}

/** A temporary folder with a rules folder holding the given files. */
export function makeWorkspace(rules: Record<string, string>): { dataDir: string; rulesDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'foghorn-e2e-'));
  const rulesDir = join(root, 'rules');
  mkdirSync(rulesDir, { recursive: true });
  for (const [name, text] of Object.entries(rules)) writeFileSync(join(rulesDir, name), text);
  return { dataDir: join(root, 'data'), rulesDir };
}

/** Starts `functions/entries/local/main.ts` (what `npm start` runs) as a child process on a free port. */
export async function startRuntimeProcess(options: {
  dataDir: string;
  rulesDir: string;
  env?: Record<string, string>;
}): Promise<RuntimeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'functions/entries/local/main.ts'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      FOGHORN_PORT: '0',
      FOGHORN_DATA: options.dataDir,
      FOGHORN_RULES: options.rulesDir,
      FOGHORN_GENERIC_SECRET: TEST_GENERIC_SECRET,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`runtime did not start within 30 s:\n${output}`)), 30_000);
    const check = () => {
      const match = /foghorn is listening \{"url":"([^"]+)"\}/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`runtime exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** POSTs a signed generic event. */
export async function postGeneric(url: string, event: Record<string, unknown>, secret = TEST_GENERIC_SECRET): Promise<Response> {
  const body = JSON.stringify(event);
  return fetch(`${url}/webhooks/generic`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-foghorn-signature': signGeneric(secret, body) },
    body,
  });
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Polls until `check` returns a value (not undefined) or the time runs out. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Waits until every queue of the runtime at `url` is empty (nothing visible, nothing in flight). */
export function waitForQueuesToDrain(url: string, timeoutMs?: number): Promise<true> {
  return waitFor(
    'the queues to drain',
    async () => {
      const health = await getJson<{ queues: Record<string, { total: number }> }>(`${url}/health`);
      return Object.values(health.queues).every((depth) => depth.total === 0) ? true : undefined;
    },
    timeoutMs,
  );
}

/** An action as `GET /api/actions` lists it: what the runtime tests look at. */
export interface RecordedAction {
  id?: string;
  eventId: string;
  ruleId: string;
  type?: string;
  status: string;
  mode?: string;
  externalId?: string;
  request?: { method: string; url: string; headers?: Record<string, string>; body?: string };
}

/** The actions the runtime at `url` lists (its first thousand). */
export async function recordedActions(url: string): Promise<RecordedAction[]> {
  return (await getJson<{ actions: RecordedAction[] }>(`${url}/api/actions?limit=1000`)).actions;
}

/** Waits for the first action of the runtime at `url` that `matches`. */
export function waitForAction(url: string, what: string, matches: (action: RecordedAction) => boolean): Promise<RecordedAction> {
  return waitFor(what, async () => (await recordedActions(url)).find(matches));
}

export interface RuntimeSetup {
  /** The rule files, by name. */
  rules: Record<string, string>;
  env?: Record<string, string>;
  /** foghorn.config.yaml, written beside the rules folder (absent: the runtime's defaults). */
  config?: string;
}

/**
 * The local runtime (`npm start`) of the current describe block: started before its tests with what `setup` gives
 * (called then, so it can use a fake API started by an earlier hook), stopped after them. Read `.current` inside tests.
 */
export function useRuntimeProcess(setup: () => RuntimeSetup, startTimeoutMs = 60_000): { readonly current: RuntimeProcess } {
  let runtime: RuntimeProcess | undefined;
  beforeAll(async () => {
    const { rules, env, config } = setup();
    const workspace = makeWorkspace(rules);
    if (config !== undefined) writeFileSync(join(dirname(workspace.rulesDir), 'foghorn.config.yaml'), config);
    runtime = await startRuntimeProcess({ ...workspace, ...(env ? { env } : {}) });
  }, startTimeoutMs);
  afterAll(async () => {
    await runtime?.stop();
  });
  return {
    get current() {
      if (!runtime) throw new Error('useRuntimeProcess: the runtime is not started yet (use it inside a test)');
      return runtime;
    },
  };
}

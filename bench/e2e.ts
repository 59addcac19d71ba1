/**
 * End to end on this machine: `npm start` (functions/entries/local/main.ts) in a child process on a fresh data
 * folder, signed `generic` webhooks posted at it, and the decided actions read back from /api/actions.
 * Latency is from the POST leaving the bench to the action record's creation (both clocks are this
 * machine's); lost = events sent and acknowledged without an action after the pipeline went quiet.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export type EndToEndFigures =
  | {
      status: 'measured';
      events: number;
      concurrency: number;
      webhooksPerSecond: number;
      /** Acknowledged webhooks per second (ingest only). */
      acceptedPerSecond: number;
      p50Ms: number;
      p99Ms: number;
      lost: number;
      rejected: number;
      /** The same, sent at a steady rate the pipeline keeps up with: latency without a backlog. */
      paced?: { events: number; ratePerSecond: number; p50Ms: number; p99Ms: number; lost: number };
    }
  | { status: 'not measured'; reason?: string };

const REPO = resolve(import.meta.dirname, '..');
const RULE = `id: bench-tag-messages
description: Tags every generic message, so each event decides exactly one action
when:
  all:
    - { fact: kind, operator: equal, value: message }
    - { fact: author.followers, operator: greaterThanInclusive, value: 0 }
then:
  - tag: [bench]
`;

export async function measureEndToEnd(options: { events?: number; concurrency?: number } = {}): Promise<EndToEndFigures> {
  const events = options.events ?? 1_000;
  const concurrency = options.concurrency ?? 32;
  const dir = mkdtempSync(join(tmpdir(), 'foghorn-bench-e2e-'));
  mkdirSync(join(dir, 'rules'));
  writeFileSync(join(dir, 'rules', 'bench.yaml'), RULE);
  writeFileSync(join(dir, 'foghorn.config.yaml'), 'timezone: UTC\n');
  const secret = randomBytes(24).toString('hex');
  const runtime = spawn(join(REPO, 'node_modules', '.bin', 'tsx'), ['functions/entries/local/main.ts'], {
    cwd: REPO,
    env: {
      ...process.env,
      FOGHORN_PORT: '0',
      FOGHORN_DATA: join(dir, 'data'),
      FOGHORN_RULES: join(dir, 'rules'),
      FOGHORN_GENERIC_SECRET: secret,
      FOGHORN_SANDBOX: 'true',
      FOGHORN_CONFIG: join(dir, 'foghorn.config.yaml'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await listeningUrl(runtime, 60_000);
    const flood = await drive(url, secret, events, concurrency);
    if (flood.status !== 'measured') return flood;
    const rate = Math.max(5, Math.floor(flood.webhooksPerSecond / 4));
    const paced = await drive(url, secret, Math.min(200, rate * 10), 1, rate);
    if (paced.status !== 'measured') return flood;
    return { ...flood, paced: { events: paced.events, ratePerSecond: rate, p50Ms: paced.p50Ms, p99Ms: paced.p99Ms, lost: paced.lost } };
  } catch (error) {
    return { status: 'not measured', reason: (error as Error).message };
  } finally {
    await stop(runtime);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Posts `count` events, `concurrency` at a time, or one every 1/`ratePerSecond` s when a rate is given. */
async function drive(url: string, secret: string, count: number, concurrency: number, ratePerSecond?: number): Promise<EndToEndFigures> {
  const run = randomBytes(4).toString('hex');
  const sentAt = new Map<string, number>();
  let next = 0;
  let rejected = 0;
  const started = Date.now();
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      if (ratePerSecond !== undefined) {
        const due = started + (index * 1000) / ratePerSecond;
        if (due > Date.now()) await sleep(due - Date.now());
      }
      const id = `e2e-${run}-${index}`;
      const body = JSON.stringify({
        id,
        kind: 'message',
        text: `hello, order ${index} has not arrived yet`,
        author: { id: `author-${index % 50}`, followers: index },
        channel: { id: 'bench' },
      });
      const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
      sentAt.set(`generic:${id}`, Date.now());
      const response = await fetch(`${url}/webhooks/generic`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-foghorn-signature': signature },
      });
      await response.arrayBuffer();
      if (!response.ok) rejected++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const acceptedMs = Date.now() - started;

  // Poll until every event has its action, or nothing new arrives for 20 s.
  let decided = new Map<string, number>();
  let lastProgress = Date.now();
  while (decided.size < count - rejected && Date.now() - lastProgress < 20_000) {
    await sleep(500);
    const response = await fetch(`${url}/api/actions?limit=10000`);
    const { actions } = (await response.json()) as { actions: Array<{ eventId: string; createdAt: string }> };
    const now = new Map(
      actions.filter((action) => sentAt.has(action.eventId)).map((action) => [action.eventId, Date.parse(action.createdAt)]),
    );
    if (now.size > decided.size) lastProgress = Date.now();
    decided = now;
  }
  const latencies = [...decided].map(([eventId, at]) => at - (sentAt.get(eventId) as number)).sort((a, b) => a - b);
  const lastDecided = Math.max(...decided.values());
  return {
    status: 'measured',
    events: count,
    concurrency,
    webhooksPerSecond: (decided.size / Math.max(1, lastDecided - started)) * 1000,
    acceptedPerSecond: ((count - rejected) / acceptedMs) * 1000,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    lost: count - rejected - decided.size,
    rejected,
  };
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] as number;
}

function listeningUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`npm start did not report listening within ${timeoutMs} ms:\n${output.slice(-2000)}`)),
      timeoutMs,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /foghorn is listening \{"url":"([^"]+)"/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output.slice(-2000)}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timeout = sleep(10_000).then(() => 'timeout' as const);
  if ((await Promise.race([exited.then(() => 'exited' as const), timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

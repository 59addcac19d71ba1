/**
 * End to end on this machine. First the ceiling (bench/bare-ceiling.ts), then `npm start` on a fresh data
 * folder with one auto-reply rule (bench/bench-runtime.ts), a warm-up, and two loads of signed generic
 * webhooks (bench/webhook-load.ts):
 * - flooded: `webhooks` with `concurrency` in flight; webhooks/s from the first send to the last action's
 *   completion (its record's `updatedAt`), once /health shows every queue empty;
 * - paced: `pacedWebhooks` sent at `pacedRate`/s; latency per webhook on the server's clock, from the event's
 *   `receivedAt` to its action's `updatedAt`.
 * Lost: events answered 2xx with no succeeded action at the end. Writes per webhook come from /health
 * `storage` (n/a while the runtime does not report it), RSS and CPU time from /proc.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type CeilingFigures, measureCeiling } from './bare-ceiling.js';
import { BENCH_SECRET, type BenchRuntime, startBenchRuntime } from './bench-runtime.js';
import { type DiskSyncFigures, measureDiskSync } from './disk-sync.js';
import { processCpuMs, processMemory } from './process-stats.js';
import { type Health, health, type ListedAction, type ListedEvent, listAll, waitForQuiet } from './runtime-api.js';
import { flood, type LoadResult, paced, signedWebhooks, type Webhook } from './webhook-load.js';

export interface PhaseFigures {
  webhooks: number;
  /** Answered 2xx. */
  accepted: number;
  /** Answered otherwise, or not at all. */
  notAccepted: number;
  /** Accepted with no succeeded action once the queues were empty (or stopped draining). */
  lost: number;
  /** Actions beyond the first for one event (one reply per event is decided). */
  duplicates: number;
  /** Completed actions per second, from the first send to the last completion. */
  webhooksPerSecond: number;
  /** 2xx answers per second, from the first send to the last answer (ingest alone). */
  acceptedPerSecond: number;
  /** Event receivedAt to action updatedAt, on the server. */
  p50Ms: number;
  p99Ms: number;
  /** CPU time of the runtime process (all its threads) over accepted webhooks. */
  cpuMsPerWebhook: number | null;
  /** /health storage counts over accepted webhooks; null while the runtime does not report them. */
  writesPerWebhook: number | null;
  commitsPerWebhook: number | null;
  readsPerWebhook: number | null;
  /** False if the queues stopped draining before they were empty. */
  drained: boolean;
}

export type EndToEndFigures =
  | {
      status: 'measured';
      /** The start script npm ran. */
      command: string;
      /** /health storage.engine; `dynamodb` (dynalite) when the runtime does not report it. */
      store: { engine: string; reportedByHealth: boolean };
      /** A 4 KB write made durable in the temporary folder, where the data folder is. */
      diskSync: DiskSyncFigures;
      /** npm start to "foghorn is listening", including npm's own start. */
      startMs: number;
      concurrency: number;
      flooded: PhaseFigures;
      paced: PhaseFigures & { ratePerSecond: number };
      ceiling: CeilingFigures;
      /** Flooded webhooks/s over the ceiling's. */
      ratioToCeiling: number;
      /** VmRSS idle (after start, before any webhook), VmRSS after both loads, VmHWM (the peak) then. */
      memory: { idleRssBytes: number; afterLoadRssBytes: number; peakRssBytes: number } | null;
    }
  | { status: 'not measured'; reason: string };

export interface EndToEndOptions {
  webhooks?: number;
  concurrency?: number;
  pacedWebhooks?: number;
  pacedRate?: number;
}

const WARM_UP = 200;

export async function measureEndToEnd(options: EndToEndOptions = {}): Promise<EndToEndFigures> {
  const webhooks = options.webhooks ?? 4_000;
  const concurrency = options.concurrency ?? 64;
  const pacedWebhooks = options.pacedWebhooks ?? 3_000;
  const pacedRate = options.pacedRate ?? 1_000;
  try {
    const diskSync = measureDiskSync();
    // Before the runtime starts, so that nothing of it (its store compacting, its schedules) runs meanwhile.
    const ceiling = await measureCeiling({ webhooks, concurrency, rounds: 5, secret: BENCH_SECRET });
    progress(`bare server measured: ${Math.round(ceiling.webhooksPerSecond).toLocaleString('en-US')} webhooks/s`);
    const runtime = await startBenchRuntime();
    progress(`npm start listening at ${runtime.url} (pid ${runtime.pid})`);
    try {
      await sleep(1_000);
      const idle = processMemory(runtime.pid);
      const run = randomBytes(3).toString('hex');
      await flood(runtime.url, signedWebhooks(`warm-up-${run}`, WARM_UP, BENCH_SECRET), concurrency);
      await waitForQuiet(runtime.url);

      const flooded = await measurePhase(
        runtime,
        (batch) => flood(runtime.url, batch, concurrency),
        signedWebhooks(`flood-${run}`, webhooks, BENCH_SECRET),
      );
      progress(`flooded: ${Math.round(flooded.webhooksPerSecond).toLocaleString('en-US')} webhooks/s`);
      const pacedFigures = await measurePhase(
        runtime,
        (batch) => paced(runtime.url, batch, pacedRate),
        signedWebhooks(`paced-${run}`, pacedWebhooks, BENCH_SECRET),
      );
      progress(`paced: p99 ${Math.round(pacedFigures.p99Ms).toLocaleString('en-US')} ms`);
      const loaded = processMemory(runtime.pid);
      const storage = (await health(runtime.url)).storage;
      return {
        status: 'measured',
        command: runtime.command,
        store: { engine: storage?.engine ?? 'dynamodb', reportedByHealth: storage !== undefined },
        diskSync,
        startMs: runtime.startMs,
        concurrency,
        flooded,
        paced: { ...pacedFigures, ratePerSecond: pacedRate },
        ceiling,
        ratioToCeiling: flooded.webhooksPerSecond / ceiling.webhooksPerSecond,
        memory:
          idle && loaded ? { idleRssBytes: idle.rssBytes, afterLoadRssBytes: loaded.rssBytes, peakRssBytes: loaded.peakRssBytes } : null,
      };
    } finally {
      await runtime.stop();
    }
  } catch (error) {
    return { status: 'not measured', reason: (error as Error).message };
  }
}

/** One load, timed and then read back: the queues drained, the stored events and actions listed. */
async function measurePhase(
  runtime: BenchRuntime,
  load: (webhooks: readonly Webhook[]) => Promise<LoadResult>,
  batch: readonly Webhook[],
): Promise<PhaseFigures> {
  const before = await health(runtime.url);
  const cpuBefore = processCpuMs(runtime.pid);
  const result = await load(batch);
  const drained = await waitForQuiet(runtime.url);
  const cpuAfter = processCpuMs(runtime.pid);
  const after = await health(runtime.url);

  // Listed after the clock stopped: reading thousands of records is not part of the figures.
  const since = new Date(result.firstSendAt - 1_000);
  const [actions, events] = await Promise.all([
    listAll<ListedAction>(runtime.url, 'actions', since),
    listAll<ListedEvent>(runtime.url, 'events', since),
  ]);
  const accepted = new Set(result.accepted);
  const completedAt = new Map<string, number>();
  let duplicates = 0;
  const perEvent = new Map<string, number>();
  for (const action of actions) {
    if (!accepted.has(action.eventId)) continue;
    const count = (perEvent.get(action.eventId) ?? 0) + 1;
    perEvent.set(action.eventId, count);
    if (count > 1) duplicates++;
    if (action.status === 'succeeded') completedAt.set(action.eventId, Date.parse(action.updatedAt));
  }
  const receivedAt = new Map(events.map((event) => [event.id, Date.parse(event.receivedAt)]));
  const latencies = [...completedAt]
    .flatMap(([eventId, at]) => {
      const received = receivedAt.get(eventId);
      return received === undefined ? [] : [at - received];
    })
    .sort((a, b) => a - b);
  const lastCompletion = Math.max(result.firstSendAt, ...completedAt.values());
  const perWebhook = (count: number | undefined): number | null =>
    count === undefined || accepted.size === 0 ? null : count / accepted.size;
  return {
    webhooks: result.webhooks,
    accepted: accepted.size,
    notAccepted: result.rejected + result.failed,
    lost: accepted.size - completedAt.size,
    duplicates,
    webhooksPerSecond: (completedAt.size / Math.max(1, lastCompletion - result.firstSendAt)) * 1000,
    acceptedPerSecond: (accepted.size / Math.max(1, result.lastAnswerAt - result.firstSendAt)) * 1000,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    cpuMsPerWebhook: cpuBefore === undefined || cpuAfter === undefined ? null : perWebhook(cpuAfter - cpuBefore),
    writesPerWebhook: perWebhook(storageDelta(before, after, 'writes')),
    commitsPerWebhook: perWebhook(storageDelta(before, after, 'commits')),
    readsPerWebhook: perWebhook(storageDelta(before, after, 'reads')),
    drained,
  };
}

function progress(line: string): void {
  process.stdout.write(`  ${line}\n`);
}

function storageDelta(before: Health, after: Health, field: 'writes' | 'commits' | 'reads'): number | undefined {
  const from = before.storage?.[field];
  const to = after.storage?.[field];
  return typeof from === 'number' && typeof to === 'number' ? to - from : undefined;
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] as number;
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { actStage } from '../functions/app/act-handler.js';
import type { AppLogger } from '../functions/app/adapters.js';
import {
  type AnalyticsStreamEvent,
  type AnalyticsStreamResponse,
  analyticsStreamStage,
} from '../functions/app/analytics-stream-handler.js';
import { awsAdapters } from '../functions/app/aws-adapters.js';
import { evaluateStage } from '../functions/app/evaluate-handler.js';
import { ingestStage } from '../functions/app/ingest-handler.js';
import { sweepStage } from '../functions/app/sweep-handler.js';
import { ANALYTICS_STREAM, topology } from '../functions/app/topology.js';
import { DEFAULT_TABLE_NAME, ensureTable } from '../functions/storage/dynamo/table.js';
import { CapacityLedger } from './capacity-ledger.js';
import { InProcessDynamo } from './in-process-dynamo.js';
import { RecordingQueues, type RequestCounts } from './recording-queues.js';
import { SimulatedClock } from './simulated-clock.js';
import { STORM_SECRETS, type StormKind, stormDelivery } from './storm.js';
import { STORM_RULES, writeStormRules } from './storm-rules.js';
import { TableStream } from './table-stream.js';

/**
 * The capacity model: a generated storm through the Lambda functions' own code (each stage built by the assembly
 * from the AWS adapters, as the entries build it) on an in-process DynamoDB, EventBridge and SQS that count what
 * they are asked, under a simulated clock. Every simulated second, `rate` webhooks reach ingest, spread evenly over
 * the second; every 10 ms the events queue and then the actions queue are drained in batches of the topology's
 * size, as the event source mappings would; on each minute the sweep runs, its calls paced at `callLatencyMs`.
 *
 * A storm too large to run whole in a couple of minutes is sampled in time: its first `maxEvents` deliveries run at
 * the full rate, through every stage, and the figures per second and per key are that window's own, exact (counted
 * in buckets of a second, or of the window when shorter, and given per second). Figures per event (cost per
 * million) need no scaling; totals for the whole storm are the run's times deliveries/maxEvents.
 * After the storm, the clock runs on for the sweeps that fire the response timers it started.
 *
 * Functions run as containers: each function has a pool that grows, second by second, to the concurrency the
 * previous second needed (Little's law on the modelled duration), so per-container caches are as many as on AWS.
 * The table's stream is replayed to the analytics function as its mapping delivers it (table-stream.ts): the
 * changes its filters pass, in batches of up to its batch size or its batching window, whichever comes first.
 */

export const FUNCTIONS = ['ingest', 'evaluate', 'act', 'sweep', 'analytics'] as const;
export type ModelledFunction = (typeof FUNCTIONS)[number];

/** The memory a modelled function is given in the stack. */
export function memoryMbOf(fn: ModelledFunction): number {
  return fn === 'analytics' ? ANALYTICS_STREAM.memoryMb : topology.functions[fn].memoryMb;
}

export interface CapacityModelOptions {
  rate: number;
  seconds: number;
  spikeShare: number;
  /** The most deliveries run: the storm's first ones, at the full rate (default DEFAULTS.maxEvents). */
  maxEvents?: number;
  authors?: number;
  seed?: number;
  /** Round trip assumed for each AWS call, for a function's duration (beside its CPU time) and the sweep's pace. */
  callLatencyMs?: number;
  start?: Date;
}

export interface FunctionFigures {
  invocations: number;
  /**
   * Handler time in this process, the in-process DynamoDB's own taken out: CPU time, since the process is
   * single-threaded and waits for nothing (measured by the clock: process.cpuUsage counts in scheduler ticks).
   */
  cpuMs: number;
  awsCalls: number;
  containers: number;
}

export interface SecondFigures {
  /** The bucket of time: a second, or the whole sampled window when it is shorter (ModelRun.bucketSeconds). */
  bucket: number;
  deliveries: number;
  functions: Record<ModelledFunction, FunctionFigures>;
  requests: RequestCounts;
}

export interface ModelRun {
  options: Required<Omit<CapacityModelOptions, 'start'>> & { start: string };
  /** Deliveries run, and the seconds of the storm they cover (at the full rate). */
  deliveriesRun: number;
  sampledSeconds: number;
  /** The length of a bucket of figures: one second, or the sampled window when shorter. */
  bucketSeconds: number;
  ledger: CapacityLedger;
  buckets: SecondFigures[];
  /** Buckets of the storm itself, the sweeps after it left out. */
  stormBuckets: number;
  deliveries: Record<StormKind, number>;
  answered: Record<string, number>;
  errors: string[];
  /** DynamoDB's refusals by error name (conditions that failed, transactions cancelled): part of the normal path. */
  refusals: Record<string, number>;
  sweep: { runs: number; timersFired: number; episodesEnded: number };
  wallMs: number;
}

export const DEFAULTS = {
  spikeShare: 0.3,
  maxEvents: 5_000,
  authors: 200_000,
  seed: 17,
  callLatencyMs: 5,
  /** A Wednesday, mid-morning UTC. */
  start: new Date('2026-12-02T10:00:00.000Z'),
} as const;

const QUEUE_URL = (name: string) => `https://sqs.us-east-1.amazonaws.com/123456789012/${name}`;
const DRAIN_EVERY_MS = 10;

export class CapacityOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CapacityOptionsError';
  }
}

export async function runCapacityModel(options: CapacityModelOptions): Promise<ModelRun> {
  const settings = resolved(options);
  const started = performance.now();
  const scratch = mkdtempSync(join(tmpdir(), 'foghorn-capacity-'));
  const clock = new SimulatedClock(new Date(settings.start));
  const startMs = clock.ms;
  const deliveriesRun = Math.min(settings.rate * settings.seconds, settings.maxEvents);
  const windowMs = (deliveriesRun * 1000) / settings.rate;
  const bucketMs = Math.min(1000, windowMs);
  const second = () => Math.floor((clock.ms - startMs) / bucketMs);
  const errors: string[] = [];
  const note = (text: string) => {
    if (errors.length < 50) errors.push(text);
  };

  let engine: InProcessDynamo | undefined;
  const ledger = new CapacityLedger({ shape: () => engine!.shapeOf(DEFAULT_TABLE_NAME), bucket: second, bucketSeconds: bucketMs / 1000 });
  const stream = new TableStream({ shape: () => engine!.shapeOf(DEFAULT_TABLE_NAME), now: () => clock.ms });
  engine = new InProcessDynamo((call) => {
    ledger.record(call);
    stream.record(call);
  });
  const queues = new RecordingQueues(second);
  let engineMs = 0;
  const refusals = new Map<string, number>();
  let awsCalls = 0;
  let pacing = false;
  const dynamo = {
    send: async (command: { constructor: { name: string }; input: unknown }) => {
      awsCalls += 1;
      if (pacing) clock.advance(settings.callLatencyMs);
      const begun = performance.now();
      try {
        return await engine!.send(command);
      } catch (error) {
        refusals.set((error as Error).name, (refusals.get((error as Error).name) ?? 0) + 1);
        throw error;
      } finally {
        engineMs += performance.now() - begun;
      }
    },
  };
  const counted = (client: { send: (command: never) => Promise<unknown> }) => ({
    send: (command: never) => {
      awsCalls += 1;
      if (pacing) clock.advance(settings.callLatencyMs);
      return client.send(command);
    },
  });

  clock.install();
  try {
    await ensureTable(dynamo as unknown as DynamoDBClient, DEFAULT_TABLE_NAME);
    const { compiledPath, teamConfigPath } = writeStormRules(scratch);
    const logger: AppLogger = {
      info: () => {},
      warn: () => {},
      error: (message, detail) => note(`${message}: ${describe(detail)}`),
    };
    const environment = (fn: ModelledFunction) => ({
      AWS_REGION: 'us-east-1',
      TABLE_NAME: DEFAULT_TABLE_NAME,
      BUS_NAME: topology.busName,
      ACTIONS_QUEUE_URL: QUEUE_URL('actions'),
      ACTIONS_DLQ_URL: QUEUE_URL('actions-dlq'),
      FOGHORN_SANDBOX: 'true',
      ...STORM_SECRETS,
      ...(fn === 'evaluate' ? { FOGHORN_COMPILED_RULES: compiledPath } : { FOGHORN_TEAM_CONFIG: teamConfigPath }),
    });
    const instrument = <Client>(client: Client): Client => {
      const kind = (client as object).constructor.name;
      if (kind === 'DynamoDBClient') return dynamo as Client;
      if (kind === 'EventBridgeClient') return counted(queues.eventBridge) as Client;
      if (kind === 'SQSClient') return counted(queues.sqs) as Client;
      throw new Error(`the capacity model has no stand-in for ${kind}`);
    };
    const container = (fn: ModelledFunction) => {
      const adapters = awsAdapters({ logger, instrument, env: environment(fn) });
      switch (fn) {
        case 'ingest':
          return { ingest: ingestStage(adapters) };
        case 'evaluate':
          return { sqs: evaluateStage(adapters) };
        case 'act':
          return { sqs: actStage(adapters) };
        case 'sweep':
          return { sweep: sweepStage(adapters) };
        case 'analytics':
          return { analytics: analyticsStreamStage(adapters) };
      }
    };
    type Container = ReturnType<typeof container>;
    const pools: Record<ModelledFunction, { containers: Container[]; next: number; wanted: number }> = {
      ingest: { containers: [], next: 0, wanted: 1 },
      evaluate: { containers: [], next: 0, wanted: 1 },
      act: { containers: [], next: 0, wanted: 1 },
      sweep: { containers: [], next: 0, wanted: 1 },
      analytics: { containers: [], next: 0, wanted: 1 },
    };
    const take = (fn: ModelledFunction): Container => {
      const pool = pools[fn];
      while (pool.containers.length < pool.wanted) pool.containers.push(container(fn));
      const chosen = pool.containers[pool.next % pool.containers.length]!;
      pool.next += 1;
      return chosen;
    };

    const figures: SecondFigures[] = [];
    const figuresOf = (at: number): SecondFigures => {
      let found = figures.find((each) => each.bucket === at);
      if (!found) {
        found = {
          bucket: at,
          deliveries: 0,
          functions: Object.fromEntries(
            FUNCTIONS.map((fn) => [fn, { invocations: 0, cpuMs: 0, awsCalls: 0, containers: pools[fn].containers.length }]),
          ) as Record<ModelledFunction, FunctionFigures>,
          requests: { putEventsCalls: 0, putEventsEntries: 0, putEventsChunks: 0, sqsRequests: 0, sqsServiceRequests: 0 },
        };
        figures.push(found);
      }
      return found;
    };
    /** Runs one invocation, charging its CPU time (without the DynamoDB stand-in's) and AWS calls to its function. */
    const invoke = async <T>(fn: ModelledFunction, run: () => Promise<T>): Promise<T> => {
      const at = second();
      const begun = performance.now();
      const engineBefore = engineMs;
      const callsBefore = awsCalls;
      try {
        return await run();
      } finally {
        const entry = figuresOf(at).functions[fn];
        entry.invocations += 1;
        entry.cpuMs += Math.max(0, performance.now() - begun - (engineMs - engineBefore));
        entry.awsCalls += awsCalls - callsBefore;
        entry.containers = Math.max(entry.containers, pools[fn].containers.length);
      }
    };
    const consume = async (queue: 'events' | 'actions') => {
      const fn = topology.queues[queue].consumer as 'evaluate' | 'act';
      for (;;) {
        const records = queues.receive(queue, topology.queues[queue].batchSize);
        if (records.length === 0) return;
        const stage = take(fn) as { sqs: (event: SQSEvent) => Promise<SQSBatchResponse> };
        const answer = await invoke(fn, () => stage.sqs({ Records: records }));
        for (const failure of answer?.batchItemFailures ?? []) note(`${fn}: record ${failure.itemIdentifier} failed`);
      }
    };
    /** The stream's batches that are due (full, or the oldest change past the batching window; all of them with `all`). */
    const follow = async (all = false) => {
      for (;;) {
        const records = stream.take(ANALYTICS_STREAM.batchSize, ANALYTICS_STREAM.maxBatchingWindowSeconds * 1000, all);
        if (records.length === 0) return;
        const stage = take('analytics') as { analytics: (event: AnalyticsStreamEvent) => Promise<AnalyticsStreamResponse> };
        const answer = await invoke('analytics', () => stage.analytics({ Records: records, shardId: 'shardId-capacity-0' }));
        for (const failure of answer?.batchItemFailures ?? []) note(`analytics: record ${failure.itemIdentifier} failed`);
      }
    };
    const drain = async () => {
      while (queues.depth('events') > 0 || queues.depth('actions') > 0) {
        await consume('events');
        await consume('actions');
      }
      await follow();
    };
    const sweepReport = { runs: 0, timersFired: 0, episodesEnded: 0 };
    const sweep = async () => {
      const stage = take('sweep') as { sweep: () => Promise<{ timersFired: number; episodesEnded: number }> };
      pacing = true;
      try {
        const report = await invoke('sweep', () => stage.sweep());
        sweepReport.runs += 1;
        sweepReport.timersFired += report.timersFired;
        sweepReport.episodesEnded += report.episodesEnded;
      } finally {
        pacing = false;
      }
      await drain();
    };

    const deliveries: Record<StormKind, number> = { spike: 0, reply: 0, complaint: 0, chatter: 0 };
    const answered: Record<string, number> = {};
    let nextSweepMs = startMs + 60_000;
    const resize = (at: number) => {
      const previous = figures.find((each) => each.bucket === at - 1);
      if (!previous) return;
      for (const fn of ['ingest', 'evaluate', 'act'] as const) {
        const used = previous.functions[fn];
        const modelledMs = used.cpuMs * cpuStretch(fn) + used.awsCalls * settings.callLatencyMs;
        pools[fn].wanted = Math.max(pools[fn].wanted, Math.ceil(modelledMs / bucketMs));
      }
    };
    const drainEvery = Math.max(1, Math.floor((settings.rate * DRAIN_EVERY_MS) / 1000));
    let bucket = -1;
    for (let n = 0; n < deliveriesRun; n++) {
      const at = startMs + Math.floor((n * 1000) / settings.rate);
      if (at >= nextSweepMs) {
        await drain();
        clock.set(nextSweepMs);
        await sweep();
        nextSweepMs += 60_000;
      }
      clock.set(at);
      if (second() !== bucket) resize((bucket = second()));
      const delivery = stormDelivery(n, new Date(at), { spikeShare: settings.spikeShare, authors: settings.authors, seed: settings.seed });
      deliveries[delivery.kind] += 1;
      figuresOf(second()).deliveries += 1;
      const stage = take('ingest') as { ingest: (event: APIGatewayProxyEventV2) => Promise<unknown> };
      const answer = (await invoke('ingest', () => stage.ingest(delivery.event))) as { statusCode?: number; body?: string };
      const status = String(answer?.statusCode ?? 'none');
      answered[status] = (answered[status] ?? 0) + 1;
      if (answer?.statusCode !== 200 && answer?.statusCode !== 202)
        note(`ingest ${delivery.platform} answered ${status}: ${String(answer?.body).slice(0, 200)}`);
      if ((n + 1) % drainEvery === 0) await drain();
    }
    await drain();
    await follow(true);
    const stormBuckets = figures.length;
    // The clock runs on: the sweeps that fire the timers the storm started (due `after`, to the minute).
    const longestAfterMs = Math.max(0, ...STORM_RULES.map((rule) => ('after' in rule ? minutesOf(rule.after) * 60_000 : 0)));
    const lastSweepMs = startMs + windowMs + longestAfterMs + 120_000;
    while (nextSweepMs <= lastSweepMs) {
      clock.set(nextSweepMs);
      await sweep();
      nextSweepMs += 60_000;
    }
    await follow(true);
    for (const counts of queues.counts) {
      const entry = figuresOf(counts[0]);
      entry.requests = { ...counts[1] };
    }
    figures.sort((a, b) => a.bucket - b.bucket);
    return {
      options: { ...settings },
      deliveriesRun,
      sampledSeconds: windowMs / 1000,
      bucketSeconds: bucketMs / 1000,
      ledger,
      buckets: figures,
      stormBuckets,
      deliveries,
      answered,
      errors,
      refusals: Object.fromEntries(refusals),
      sweep: sweepReport,
      wallMs: performance.now() - started,
    };
  } finally {
    clock.uninstall();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** How much longer a function's CPU work takes on Lambda than on one full core: below 1,769 MB it gets a share of a vCPU. */
export function cpuStretch(fn: ModelledFunction): number {
  // https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html : 1,769 MB is the equivalent of one vCPU.
  return Math.max(1, 1769 / memoryMbOf(fn));
}

function resolved(options: CapacityModelOptions): ModelRun['options'] {
  const positive = (name: string, value: number) => {
    if (!Number.isInteger(value) || value <= 0) throw new CapacityOptionsError(`--${name} must be a whole number above 0, got ${value}`);
    return value;
  };
  const rate = positive('rate', options.rate);
  const seconds = positive('seconds', options.seconds);
  const maxEvents = positive('max-events', options.maxEvents ?? DEFAULTS.maxEvents);
  if (!(options.callLatencyMs === undefined || options.callLatencyMs >= 0))
    throw new CapacityOptionsError(`--call-latency-ms must be 0 or more, got ${options.callLatencyMs}`);
  return {
    rate,
    seconds,
    spikeShare: options.spikeShare,
    maxEvents,
    authors: positive('authors', options.authors ?? DEFAULTS.authors),
    seed: options.seed ?? DEFAULTS.seed,
    callLatencyMs: options.callLatencyMs ?? DEFAULTS.callLatencyMs,
    start: (options.start ?? DEFAULTS.start).toISOString(),
  };
}

function minutesOf(duration: string): number {
  const match = /^(\d+)([mh])$/.exec(duration);
  if (!match) throw new Error(`capacity model: the storm rule's after (${duration}) is not in minutes or hours`);
  return Number(match[1]) * (match[2] === 'h' ? 60 : 1);
}

function describe(detail: unknown): string {
  if (detail === undefined) return '';
  const text = JSON.stringify(detail, (_key, value) => (value instanceof Error ? `${value.name}: ${value.message}` : value));
  return (text ?? String(detail)).slice(0, 300);
}

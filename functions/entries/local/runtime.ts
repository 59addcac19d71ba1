import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AppLogger } from '../../app/adapters.js';
import { type DeadLetterQueue, deadLetterRoutes } from '../../app/dead-letter-routes.js';
import { localAdapters } from '../../app/local-adapters.js';
import { openApiDocument } from '../../app/openapi.js';
import { withOwners } from '../../app/owned-events.js';
import { assemblePipeline } from '../../app/pipeline.js';
import type { SweepReport } from '../../app/sweep-handler.js';
import { type QueueName, topology } from '../../app/topology.js';
import { type WatchedRuleSource, watchedRuleSource } from '../../app/watched-rule-source.js';
import { withoutSecrets } from '../../app/without-secrets.js';
import { limitOf, listingQuery } from '../../core/api-query.js';
import { FoghornError } from '../../core/errors.js';
import { BadCursorError } from '../../core/index-page.js';
import type { AuditRecord, Clock } from '../../core/ports.js';
import type { RuleSet } from '../../core/rule-set.js';
import type { Settings } from '../../core/settings.js';
import type { CrisisKit } from '../../crisis/crisis-kit.js';
import type { DurableQueue } from '../../local/durable-queue.js';
import { LocalScheduler } from '../../local/scheduler.js';
import { installLocalAuth } from './auth-routes.js';
import { serveConsole } from './console-routes.js';
import { dynaliteLayoutNotice, findDynaliteLayout } from './dynalite-layout.js';
import { fromApiGatewayResult, LocalHttpServer, toApiGatewayEvent } from './http-server.js';
import { type LocalStore, openLocalStore, type StoreStats } from './local-store.js';
import type { StoreChoice } from './runtime-settings.js';
import { sameOriginGuard } from './same-origin-guard.js';

export type RuntimeLogger = AppLogger;

export interface RuntimeOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  dataDir: string;
  rulesDir: string;
  settings: Settings;
  logger: RuntimeLogger;
  /** Record every outbound call instead of sending it, whatever credentials are set. */
  forceSandbox?: boolean;
  /** How long a claimed action is protected from a second worker (default topology.actionLeaseMs). */
  actionLeaseMs?: number;
  /** The clock (tests inject one). */
  clock?: Clock;
  /** How often the SLA, spike and approval sweep runs (default: the topology's schedule, every minute). */
  crisisSweepEveryMs?: number;
  /** Where the data is kept (default: the embedded store under `<dataDir>/embedded/`). */
  store?: StoreChoice;
}

export interface Runtime {
  url: string;
  port: number;
  /** The embedded DynamoDB (127.0.0.1, a free port) on the dynamodb store without an endpoint; it serves only the runtime's own per-start credential. */
  storeEndpoint?: string;
  /** The store's engine, and its writes, commits and reads since the start (as /health shows them). */
  storage(): StoreStats;
  queues: Readonly<Record<QueueName, DurableQueue>>;
  ruleSet(): RuleSet;
  /** Every route the HTTP server answers (method and path template); GET /api/openapi.json describes each. */
  routes: ReadonlyArray<{ method: string; path: string }>;
  /** Crisis mode, approvals, audit and the sweep (tests run it directly). */
  crisis: CrisisKit;
  /** The whole once-a-minute sweep as the schedule runs it, scheduled posts included (tests run it directly). */
  sweep(): Promise<SweepReport>;
  stop(): Promise<void>;
}

const MINUTE_MS = 60_000;
/** How often the local runtime looks for listening sources that are due: well under the shortest `every` (30s). */
const LISTEN_TICK_MS = 5_000;

/**
 * Foghorn on one machine: the pipeline assembled as on AWS (functions/app/), fed Lambda-shaped events
 * by an HTTP server (API Gateway), the local bus and durable queues built from the same topology as the
 * CDK stack, and local schedules for the poll and the sweep, over the embedded store (or DynamoDB) kept
 * under the data folder.
 */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { logger } = options;
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const choice = options.store ?? { engine: 'embedded' };
  const store = await openLocalStore(dataDir, choice, (error) => logger.error('embedded store: a staged write failed', { error }));
  if (choice.engine === 'embedded') {
    // Never silently: data an earlier Foghorn kept in dynalite stays where it is, and the log says what to do with it.
    const earlier = findDynaliteLayout(dataDir);
    if (earlier) for (const line of dynaliteLayoutNotice(earlier, store.location)) logger.warn(line);
  }
  const rules = await watchedRuleSource(options.rulesDir, logger, options.clock).catch(async (error: unknown) => {
    await store.stop();
    throw error;
  });

  try {
    return await serve(options, store, rules);
  } catch (error) {
    rules.close();
    await store.stop();
    throw error;
  }
}

/** Everything after storage and the rules: the adapters, the pipeline over them, the queues' consumers, the server and the schedules. */
async function serve(options: RuntimeOptions, store: LocalStore, rules: WatchedRuleSource): Promise<Runtime> {
  const { logger, settings } = options;
  let publicUrl = settings.get('FOGHORN_PUBLIC_URL');
  const adapters = await localAdapters({
    storage: store.storage,
    rules,
    settings,
    logger,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.forceSandbox !== undefined ? { forceSandbox: options.forceSandbox } : {}),
    ...(options.actionLeaseMs !== undefined ? { actionLeaseMs: options.actionLeaseMs } : {}),
    foghornBaseUrl: () => publicUrl ?? 'http://127.0.0.1:8787',
  });
  const { queues, listings } = adapters;
  const now = (): Date => options.clock?.now() ?? new Date();
  // Retention as DynamoDB's TTL: expired records are no longer answered, and a bounded sweep removes them each minute.
  const embedded = store.storage.engine === 'embedded' ? store.storage.database : undefined;
  embedded?.enableRetention({ now });
  const pipeline = await assemblePipeline(adapters);

  for (const [name, spec] of Object.entries(topology.queues) as Array<[QueueName, (typeof topology.queues)[QueueName]]>) {
    const consumer = pipeline.consumer(spec.consumer);
    if (!consumer) throw new Error(`topology: queue ${name} names consumer ${spec.consumer}, which the local runtime does not run`);
    // The queues wait on storage writes, not CPU: more batches in flight keep both cores busy.
    queues[name].consume(consumer, { batchSize: spec.batchSize, concurrency: 16 });
  }
  await Promise.all(Object.values(queues).map((queue) => queue.start()));

  const host = options.host ?? '127.0.0.1';
  const server: LocalHttpServer = new LocalHttpServer({
    maxBodyBytes: topology.maxBodyBytes + 1,
    onError: (error) => logger.error('http', { error }),
    guard: sameOriginGuard({ port: (): number => server.port, host, publicUrl }),
  });
  server.add('GET', '/health', async () => ({
    status: 200,
    body: {
      ok: true,
      rules: rules.latest().ruleSet.ruleIds.length,
      // A rejected change leaves the previous rules in force: say so, with its first error.
      reload: rules.reload(),
      queues: Object.fromEntries(Object.entries(queues).map(([name, queue]) => [name, queue.depth()])),
      storage: store.stats(),
      // Each listening source's state, failures in a row and last error: a source that keeps failing shows here.
      listening: await pipeline.listenStatus().catch((error: unknown) => ({ error: describe(error) })),
    },
  }));
  // Webhook routes go to ingest; the `api` routes are served below by the same handlers as the api Lambda.
  for (const route of topology.http.filter((candidate) => candidate.function === 'ingest')) {
    server.add(route.method, route.path, async (request) =>
      fromApiGatewayResult(await pipeline.ingest(toApiGatewayEvent(request, `${route.method} ${route.path}`))),
    );
  }
  // Listings for one machine: on AWS the table and the queues' consoles answer these. Served without secrets
  // (a Discord event's interaction token), as the api routes are.
  // Filtered and paged (`next`, then `?cursor=`) as core/api-query.ts reads them.
  // Each event with its conversation's owner, filtered by owner= and team= (functions/app/owned-events.ts).
  const ownedEvents = withOwners(listings.events, adapters.assignments);
  server.add('GET', '/api/events', async ({ query }) =>
    listing(async () => {
      const page = await ownedEvents(listingQuery('events', query, now()));
      return withoutSecrets({ events: page.items, next: page.next ?? null });
    }),
  );
  server.add('GET', '/api/actions', async ({ query }) =>
    listing(async () => {
      const page = await listings.actions(listingQuery('actions', query, now()));
      return withoutSecrets({ actions: page.items, next: page.next ?? null });
    }),
  );
  server.add('GET', '/api/quarantine', async ({ query }) =>
    listing(async () => ({
      quarantine: (await listings.quarantine(limitOf(query))).map((entry) =>
        withoutSecrets(entry.detail === undefined ? entry : { ...entry, detail: redactedJsonText(entry.detail) }),
      ),
    })),
  );
  // The dead letters of both queues, answered by the api's own routes (functions/app/dead-letter-routes.ts).
  const redriveAudit = { record: (entry: AuditRecord) => adapters.crisisStores.audit.record(entry), clock: adapters.clock };
  for (const route of deadLetterRoutes(localDeadLetters(queues), redriveAudit)) {
    server.add(route.method, route.path, (request) =>
      route.handle({ params: request.params, query: request.query, body: request.body, headers: request.headers }),
    );
  }
  // The api routes the runtime has not answered above (first registration wins: each is added once).
  const served = new Set(server.routeList().map(({ method, path }) => `${method} ${path}`));
  for (const route of pipeline.apiRoutes.filter(({ method, path }) => !served.has(`${method} ${path}`))) {
    server.add(route.method, route.path, (request) =>
      route.handle({ params: request.params, query: request.query, body: request.body, headers: request.headers }),
    );
  }
  // Sign-in, sessions, roles and the API token: every route passes its guard (auth-routes.ts).
  installLocalAuth(server, {
    dataDir: resolve(options.dataDir),
    rulesDir: options.rulesDir,
    settings,
    logger,
    host,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(pipeline.assignments ? { identity: (user: string) => pipeline.assignments!.personOf(user) } : {}),
  });
  let document: Record<string, unknown> = {};
  server.add('GET', '/api/openapi.json', () => ({ status: 200, body: document }));
  // Built once every route is added: a route the document does not describe stops the start, so none goes undocumented.
  document = openApiDocument(server.routeList());
  serveConsole(server, document, { listings, adapters, rules, now, logger });

  const port = await server.listen(options.port, host);
  const url = `http://${host}:${port}`;
  publicUrl ??= url;
  const scheduleLogger = { error: (message: string, ...detail: unknown[]) => logger.error(message, { detail: detail.map(describe) }) };
  const schedules = [
    ...(embedded
      ? [
          new LocalScheduler({
            name: 'retention-sweep',
            everyMs: MINUTE_MS,
            runAtStart: true,
            task: async () => void (await embedded.sweepExpired()),
            logger: scheduleLogger,
          }),
        ]
      : []),
    new LocalScheduler({
      name: 'crisis-sweep',
      everyMs: options.crisisSweepEveryMs ?? topology.schedules.sweep.everyMinutes * MINUTE_MS,
      runAtStart: true,
      // Scheduled posts are published by this sweep: once in each minute, from its start (EventBridge runs it once a minute on AWS).
      onTheMinute: options.crisisSweepEveryMs === undefined,
      task: async () => {
        await pipeline.sweep();
      },
      logger: scheduleLogger,
    }),
    // Pollers whose settings are missing report themselves not configured and read nothing.
    new LocalScheduler({
      name: 'poll',
      everyMs: topology.schedules.poll.everyMinutes * MINUTE_MS,
      runAtStart: true,
      task: async () => {
        await pipeline.poll({ only: 'platforms' });
      },
      logger: scheduleLogger,
    }),
    // The listening sources of foghorn.config.yaml, each when its `every` is due (a changed listen: section counts
    // from the next tick); on AWS the poll schedule runs the same step every minute.
    new LocalScheduler({
      name: 'listen',
      everyMs: LISTEN_TICK_MS,
      runAtStart: true,
      task: async () => {
        await pipeline.poll({ only: 'listening' });
      },
      logger: scheduleLogger,
    }),
  ];
  for (const schedule of schedules) schedule.start();
  logger.info('storage', { engine: store.storage.engine, at: store.location });
  logger.info('foghorn is listening', { url });
  // The banner people (and scripts that wait for the start) read, as it has always printed.
  logger.announce?.(`foghorn is listening ${JSON.stringify({ url })}`);

  return {
    url,
    port,
    ...(store.dynaliteEndpoint ? { storeEndpoint: store.dynaliteEndpoint } : {}),
    storage: () => store.stats(),
    queues,
    crisis: pipeline.crisis,
    sweep: () => pipeline.sweep(),
    ruleSet: () => rules.latest().ruleSet,
    routes: server.routeList(),
    stop: async () => {
      for (const schedule of schedules) await schedule.stop();
      rules.close();
      await server.close();
      await Promise.all(Object.values(queues).map((queue) => queue.stop()));
      await store.stop();
    },
  };
}

/** The durable queues' dead letters, as the api's dead-letter routes read them: a redrive answers the ids sent back. */
function localDeadLetters(queues: Readonly<Record<QueueName, DurableQueue>>): Record<string, DeadLetterQueue> {
  return Object.fromEntries(
    Object.entries(queues).map(([name, queue]) => [
      name,
      {
        list: async (limit: number) => queue.deadLetter?.list(limit).map((m) => ({ id: m.id, body: JSON.parse(m.body) as unknown })) ?? [],
        redrive: async () => ({ redriven: await queue.redrive() }),
      },
    ]),
  );
}

/** A listing's answer, or the 400 that names the parameter at fault. */
async function listing(run: () => Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    return { status: 200, body: await run() };
  } catch (error) {
    if (error instanceof BadCursorError)
      return { status: 400, body: { error: error.message, detail: { parameter: 'cursor', reason: error.reason } } };
    if (error instanceof FoghornError && error.status === 400)
      return { status: 400, body: { error: error.message, detail: error.detail ?? null } };
    throw error;
  }
}

/** A quarantine entry's detail is stored as JSON text: redact inside it, keep it text. */
function redactedJsonText(text: string): string {
  try {
    return JSON.stringify(withoutSecrets(JSON.parse(text) as unknown));
  } catch {
    return text;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

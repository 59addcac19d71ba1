import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Settings } from '../../functions/core/config.js';
import type { ActionCommand } from '../../functions/core/action-command.js';
import type { OutboundRequest } from '../../functions/core/http.js';
import { systemClock } from '../../functions/core/ports.js';
import type { ActionExecutor } from '../../functions/core/act.js';
import { platformExecutor } from '../../functions/core/executors/platform.js';
import { tagExecutor } from '../../functions/core/executors/tag.js';
import { holdExecutor } from '../../functions/core/executors/hold.js';
import { createIngestHandler } from '../../functions/ingest/ingest-handler.js';
import { createEvaluateHandler } from '../../functions/evaluate/evaluate-handler.js';
import { createActHandler } from '../../functions/act/act-handler.js';
import { DurableQueue } from '../../functions/local/durable-queue.js';
import { LocalBus } from '../../functions/local/local-bus.js';
import { LiveSender, SandboxSender, redactRequest } from '../../functions/core/outbound/index.js';
import { connectorFor, connectorSettingNames, connectors } from '../../functions/platforms/index.js';
import type { RuleSet } from '../../functions/rules/ruleset.js';
import { watchRuleSet } from '../../functions/rules/index.js';
import { DynamoRuleState } from '../../functions/storage/dynamo/rule-state.js';
import { startEmbeddedDynamo } from '../../functions/storage/dynamo/embedded.js';
import { DynamoEventStore } from '../../functions/storage/dynamo/event-store.js';
import { DynamoActionStore } from '../../functions/storage/dynamo/action-store.js';
import { DynamoDecisionStore } from '../../functions/storage/dynamo/decision-store.js';
import { type QueueName, topology } from '../topology.js';
import { fromApiGatewayResult, LocalHttpServer, toApiGatewayEvent } from './http-server.js';
import { clampLimit } from './runtime-settings.js';
import { secretValues } from '../../functions/core/config.js';
// Crisis and SLA (issue 5): crisis mode, approvals, escalations, SLA timers, spikes, audit.
import type { Clock } from '../../functions/core/ports.js';
import { CrisisKit } from '../../functions/crisis/crisis-kit.js';
import { foghornApiRoutes } from '../../functions/api/routes.js';
import type { CrisisRuleOptions } from '../../functions/crisis/rule-options.js';
import { loadCrisisRuleOptions } from '../../functions/crisis/rule-options-loader.js';
import { findConfigPath, parseFoghornConfig, readFoghornConfig } from '../../functions/rules/index.js';
import { dynamoCrisisStores } from '../../functions/storage/dynamo/crisis-stores.js';
import { DynamoCrisisStore } from '../../functions/storage/dynamo/crisis-store.js';
import { ProcessCachedCrisisStore } from '../../functions/local/process-cached-crisis-store.js';
import { LocalScheduler } from '../../functions/local/scheduler.js';
import { localPolling } from '../../functions/poll/local-polling.js';

export interface RuntimeLogger {
  info(message: string, detail?: Record<string, unknown>): void;
  warn(message: string, detail?: Record<string, unknown>): void;
  error(message: string, detail?: Record<string, unknown>): void;
}

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
  /** How long a claimed action is protected from a second worker. */
  actionLeaseMs?: number;
  /** Crisis issue: the clock (tests inject one) and how often the SLA/spike/approval sweep runs (default 60 s). */
  clock?: Clock;
  crisisSweepEveryMs?: number;
}

export interface Runtime {
  url: string;
  port: number;
  queues: Readonly<Record<QueueName, DurableQueue>>;
  ruleSet(): RuleSet;
  /** Crisis issue: crisis mode, approvals, audit and the sweep (tests run it directly). */
  crisis: CrisisKit;
  stop(): Promise<void>;
}

/**
 * Foghorn on one machine: the same handler modules as on Lambda, fed Lambda-shaped events by an
 * HTTP server (API Gateway), a bus and durable queues built from the same topology as the CDK stack,
 * over an embedded DynamoDB persisted under the data folder.
 */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { logger, settings } = options;
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const dynamo = await startEmbeddedDynamo({ path: join(dataDir, 'dynamodb'), inWorker: true });
  const table = { client: dynamo.client, tableName: dynamo.tableName };
  const events = new DynamoEventStore(table);
  const actions = new DynamoActionStore(table);
  const clock = options.clock ?? systemClock;

  let ruleSet: RuleSet | undefined;
  let loadError: Error | undefined;
  // Crisis issue: the rules' volume/after/crisisReply options and the team config, refreshed with the rules.
  const readTeamConfig = () => { const path = findConfigPath(options.rulesDir); return path === undefined ? parseFoghornConfig({}) : readFoghornConfig(path); };
  let crisisRuleOptions: ReadonlyMap<string, CrisisRuleOptions> = await loadCrisisRuleOptions(options.rulesDir).catch(() => new Map());
  let teamConfig = readTeamConfig();
  const watcher = await watchRuleSet(options.rulesDir, (next) => {
    if (next instanceof Error) {
      loadError = next;
      if (ruleSet) logger.error('rules not reloaded: the previous rule set stays active', { error: next.message });
      return;
    }
    logger.info(ruleSet ? 'rules reloaded' : 'rules loaded', { dir: options.rulesDir, rules: next.ruleIds.length });
    ruleSet = next;
    void loadCrisisRuleOptions(options.rulesDir).then((loaded) => { crisisRuleOptions = loaded; teamConfig = readTeamConfig(); })
      .catch((error: unknown) => logger.error('crisis options not reloaded', { error: describe(error) }));
  });
  if (!ruleSet) {
    watcher.close();
    throw new Error(`the rules in ${options.rulesDir} do not load:\n${loadError?.message ?? 'unknown error'}`);
  }
  const currentRuleSet = (): RuleSet => ruleSet as RuleSet;

  const queueLogger = { error: (message: string, ...detail: unknown[]) => logger.error(message, { detail: detail.map(String) }) };
  const queues = Object.fromEntries(Object.entries(topology.queues).map(([name, spec]) => {
    const deadLetter = new DurableQueue({ ...table, name: `${name}-dlq`, visibilityTimeoutMs: 30_000, maxReceiveCount: 1, logger: queueLogger });
    const queue = new DurableQueue({
      ...table, name, deadLetter, logger: queueLogger,
      visibilityTimeoutMs: spec.visibilityTimeoutSeconds * 1000, maxReceiveCount: spec.maxReceiveCount,
    });
    return [name, queue];
  })) as Record<QueueName, DurableQueue>;
  const bus = new LocalBus(topology.busRoutes, queues);

  // Crisis issue: the kit over the same table, dispatching to the actions queue and emitting through the bus.
  let publicUrl = settings.get('FOGHORN_PUBLIC_URL');
  const crisis = new CrisisKit({
    // This process owns the data, so the crisis switch is read from memory after the first read.
    stores: { ...dynamoCrisisStores(table), crisis: new ProcessCachedCrisisStore(new DynamoCrisisStore(table)) }, config: () => teamConfig, settings, clock, forceSandbox: options.forceSandbox ?? false,
    live: new LiveSender(), sandbox: new SandboxSender(), foghornBaseUrl: () => publicUrl ?? 'http://127.0.0.1:8787',
    dispatch: async (commands) => { await queues.actions.send(commands.map((command) => JSON.stringify(command))); },
    emit: async (event) => {
      const stored = await events.putIfAbsent(event);
      if (stored.published) return;
      await bus.publish([event]);
      await events.markPublished(event.id);
    },
  });
  crisis.settings();
  let crisisRuleSet: { base: RuleSet; wrapped: RuleSet } | undefined;
  const evaluatedRuleSet = (): RuleSet => {
    const base = currentRuleSet();
    if (crisisRuleSet?.base !== base) crisisRuleSet = { base, wrapped: crisis.ruleSet(base, () => crisisRuleOptions) };
    return crisisRuleSet.wrapped;
  };

  const secrets = secretValues(settings, connectorSettingNames());
  const baseExecutors: Record<string, ActionExecutor> = {
    reply: platformExecutor({
      connectorFor, settings, clock, forceSandbox: options.forceSandbox ?? false,
      live: new LiveSender(), sandbox: new SandboxSender(),
      redact: (request: OutboundRequest) => redactRequest(request, secrets),
    }),
    tag: tagExecutor(events),
    hold: holdExecutor,
  };
  baseExecutors.post = baseExecutors.reply as ActionExecutor;
  const executors = crisis.executors(baseExecutors);

  const ingest = createIngestHandler({
    connectorFor, knownPlatforms: () => Object.keys(connectors), settings, store: events, publisher: bus, clock,
    maxBodyBytes: topology.maxBodyBytes,
    onError: (error, request) => logger.error('ingest failed', { platform: request.platform, error: describe(error) }),
  });
  const evaluate = createEvaluateHandler({
    ruleSet: evaluatedRuleSet,
    state: new DynamoRuleState(table),
    decisions: new DynamoDecisionStore(table),
    queue: { send: async (commands) => { await queues.actions.send(commands.map((command) => JSON.stringify(command))); } },
    clock,
  }, (error, messageId) => logger.error('evaluate failed', { messageId, error: describe(error) }));
  const act = createActHandler({
    actions, executors, clock, leaseMs: options.actionLeaseMs ?? 30_000,
    deadLetters: {
      send: async (command: ActionCommand, error: string) => {
        await queues.actions.deadLetter?.send([JSON.stringify({ ...command, deadLetterReason: error })]);
        logger.warn('action failed for good; in the dead-letter queue', { action: command.id, rule: command.ruleId, error });
      },
    },
    delay: async (receiptHandle, ms) => { queues.actions.changeVisibility(receiptHandle, ms); },
  }, (error, messageId) => logger.error('act failed', { messageId, error: describe(error) }));

  const consumers = { evaluate, act } as const;
  for (const [name, spec] of Object.entries(topology.queues) as Array<[QueueName, (typeof topology.queues)[QueueName]]>) {
    const consumer = consumers[spec.consumer as keyof typeof consumers];
    if (!consumer) throw new Error(`topology: queue ${name} names consumer ${spec.consumer}, which the local runtime does not run`);
    // The queues wait on storage writes, not CPU: more batches in flight keep both cores busy.
    queues[name].consume(consumer, { batchSize: spec.batchSize, concurrency: 16 });
  }
  await Promise.all(Object.values(queues).map((queue) => queue.start()));

  const server = new LocalHttpServer({ maxBodyBytes: topology.maxBodyBytes + 1, onError: (error) => logger.error('http', { error: describe(error) }) });
  server.add('GET', '/health', () => ({
    status: 200,
    body: { ok: true, rules: currentRuleSet().ruleIds.length, queues: Object.fromEntries(Object.entries(queues).map(([name, queue]) => [name, queue.depth()])) },
  }));
  // Webhook routes go to ingest; the `api` routes are served below by the same handlers as the api Lambda.
  for (const route of topology.http.filter((candidate) => candidate.function === 'ingest')) {
    server.add(route.method, route.path, async (request) => fromApiGatewayResult(await ingest(toApiGatewayEvent(request, `${route.method} ${route.path}`))));
  }
  server.add('GET', '/api/events', async ({ query }) => ({ status: 200, body: { events: await events.listRecent(clampLimit(query.get('limit'))) } }));
  server.add('GET', '/api/actions', async ({ query }) => ({ status: 200, body: { actions: await actions.listRecent(clampLimit(query.get('limit'))) } }));
  server.add('GET', '/api/quarantine', async ({ query }) => ({ status: 200, body: { quarantine: await events.listQuarantine(clampLimit(query.get('limit'))) } }));
  server.add('GET', '/api/dead-letters', () => ({
    status: 200,
    body: { deadLetters: Object.fromEntries(Object.entries(queues).map(([name, queue]) => [name, queue.deadLetter?.list(1000).map((m) => ({ id: m.id, body: JSON.parse(m.body) as unknown })) ?? []])) },
  }));
  server.add('POST', '/api/dead-letters/{queue}/redrive', async ({ params }) => {
    const queue = queues[params.queue as QueueName];
    if (!queue) return { status: 404, body: { error: `no queue '${params.queue}'`, detail: { queues: Object.keys(queues) } } };
    return { status: 200, body: { redriven: await queue.redrive() } };
  });

  for (const route of foghornApiRoutes(crisis, events)) {
    server.add(route.method, route.path, (request) => route.handle({ params: request.params, query: request.query, body: request.body }));
  }

  const port = await server.listen(options.port, options.host ?? '127.0.0.1');
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  publicUrl ??= url;
  const sweeper = new LocalScheduler({
    name: 'crisis-sweep', everyMs: options.crisisSweepEveryMs ?? 60_000, runAtStart: true, task: () => crisis.sweep().then(() => undefined),
    logger: { error: (message, ...detail) => logger.error(message, { detail: detail.map(describe) }) },
  });
  sweeper.start();
  const polling = localPolling({ table, store: events, publisher: bus, settings, clock, logger: { error: (message, ...detail) => logger.error(message, { detail: detail.map(describe) }) } });
  polling.start();
  logger.info('foghorn is listening', { url });

  return {
    url, port, queues, crisis,
    ruleSet: currentRuleSet,
    stop: async () => {
      await sweeper.stop();
      await polling.stop();
      watcher.close();
      await server.close();
      await Promise.all(Object.values(queues).map((queue) => queue.stop()));
      await dynamo.stop();
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

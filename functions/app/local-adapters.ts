import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LiveSender, SandboxSender } from '../core/outbound/index.js';
import { type Clock, systemClock } from '../core/ports.js';
import type { Settings } from '../core/settings.js';
import { DurableQueue } from '../local/durable-queue.js';
import { LocalBus } from '../local/local-bus.js';
import { ProcessCachedCrisisStore } from '../local/process-cached-crisis-store.js';
import { DynamoActionStore } from '../storage/dynamo/action-store.js';
import { DynamoCrisisStore } from '../storage/dynamo/crisis-store.js';
import { dynamoCrisisStores } from '../storage/dynamo/crisis-stores.js';
import { DynamoCursorStore } from '../storage/dynamo/cursor-store.js';
import { DynamoDecisionStore } from '../storage/dynamo/decision-store.js';
import { DynamoEventStore } from '../storage/dynamo/event-store.js';
import { DynamoRuleState } from '../storage/dynamo/rule-state.js';
import type { Adapters, AppLogger } from './adapters.js';
import { type QueueName, topology } from './topology.js';
import type { WatchedRuleSource } from './watched-rule-source.js';

export interface LocalAdapterOptions {
  /** The embedded DynamoDB table everything is kept in (events, actions, queues). */
  table: { client: DynamoDBClient; tableName: string };
  rules: WatchedRuleSource;
  settings: Settings;
  logger: AppLogger;
  clock?: Clock;
  forceSandbox?: boolean;
  actionLeaseMs?: number;
  /** Where people reach this runtime; known once the server listens. */
  foghornBaseUrl: () => string;
}

export interface LocalAdapters extends Adapters {
  /** The topology's queues, durable in the table, each with its dead letters. */
  queues: Readonly<Record<QueueName, DurableQueue>>;
  bus: LocalBus<QueueName>;
  /** The local API lists these (events, actions, quarantine) straight from the table. */
  events: DynamoEventStore;
  actions: DynamoActionStore;
}

/**
 * The adapters of Foghorn on one machine: the same DynamoDB stores as on AWS over the embedded table,
 * durable queues and a bus built from the topology, and the watched rules folder.
 */
export function localAdapters(options: LocalAdapterOptions): LocalAdapters {
  const { table, logger } = options;
  const queueLogger = { error: (message: string, ...detail: unknown[]) => logger.error(message, { detail: detail.map(String) }) };
  const queues = Object.fromEntries(
    Object.entries(topology.queues).map(([name, spec]) => {
      const deadLetter = new DurableQueue({
        ...table,
        name: `${name}-dlq`,
        visibilityTimeoutMs: 30_000,
        maxReceiveCount: 1,
        logger: queueLogger,
      });
      const queue = new DurableQueue({
        ...table,
        name,
        deadLetter,
        logger: queueLogger,
        visibilityTimeoutMs: spec.visibilityTimeoutSeconds * 1000,
        maxReceiveCount: spec.maxReceiveCount,
      });
      return [name, queue];
    }),
  ) as Record<QueueName, DurableQueue>;
  return {
    clock: options.clock ?? systemClock,
    settings: options.settings,
    forceSandbox: options.forceSandbox ?? false,
    actionLeaseMs: options.actionLeaseMs ?? topology.actionLeaseMs,
    logger,
    events: new DynamoEventStore(table),
    actions: new DynamoActionStore(table),
    decisions: new DynamoDecisionStore(table),
    ruleState: new DynamoRuleState(table),
    cursors: new DynamoCursorStore(table),
    // This process owns the data, so the crisis switch is read from memory after the first read.
    crisisStores: { ...dynamoCrisisStores(table), crisis: new ProcessCachedCrisisStore(new DynamoCrisisStore(table)) },
    queues,
    bus: new LocalBus<QueueName>(topology.busRoutes, queues),
    actionsQueue: {
      send: async (commands) => {
        await queues.actions.send(commands.map((command) => JSON.stringify(command)));
      },
    },
    deadLetters: {
      send: async (command, error) => {
        await queues.actions.deadLetter?.send([JSON.stringify({ ...command, deadLetterReason: error })]);
        logger.warn('action failed for good; in the dead-letter queue', { action: command.id, rule: command.ruleId, error });
      },
    },
    delayAction: async (receiptHandle, ms) => {
      queues.actions.changeVisibility(receiptHandle, ms);
    },
    live: new LiveSender(),
    sandbox: new SandboxSender(),
    rules: options.rules,
    teamConfig: { load: async () => {}, current: () => options.rules.latest().compiled.config },
    foghornBaseUrl: options.foghornBaseUrl,
  };
}

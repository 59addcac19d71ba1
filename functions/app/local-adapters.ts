import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AnalyticsStore } from '../analytics/ports.js';
import type { AssignmentStore } from '../assignment/ports.js';
import type { CanonicalEvent } from '../core/event.js';
import { LiveSender, SandboxSender } from '../core/outbound/index.js';
import type { ActionRecord, ActionStore, Clock, CursorStore, DecisionStore, EventStore } from '../core/ports.js';
import { systemClock } from '../core/ports.js';
import type { RuleState } from '../core/rule-set.js';
import type { Settings } from '../core/settings.js';
import type { CrisisStores } from '../crisis/crisis-kit.js';
import { DurableQueue, type QueueLogger } from '../local/durable-queue.js';
import { LocalBus } from '../local/local-bus.js';
import { ProcessCachedCrisisStore } from '../local/process-cached-crisis-store.js';
import type { QueueStorage } from '../local/queue-storage.js';
import { parseSendRates, sendRates } from '../platforms/send-rates.js';
import type { PostStore } from '../posts/ports.js';
import { EmbeddedActionStore } from '../storage/embedded/action-store.js';
import { EmbeddedAnalyticsStore } from '../storage/embedded/analytics-store.js';
import { EmbeddedAssignmentStore } from '../storage/embedded/assignment-store.js';
import { embeddedCrisisStores } from '../storage/embedded/crisis-stores.js';
import { EmbeddedCursorStore } from '../storage/embedded/cursor-store.js';
import type { EmbeddedDatabase } from '../storage/embedded/database.js';
import { EmbeddedDecisionStore } from '../storage/embedded/decision-store.js';
import { EmbeddedEventStore } from '../storage/embedded/event-store.js';
import { EmbeddedPostStore } from '../storage/embedded/post-store.js';
import { EmbeddedQueueStorage } from '../storage/embedded/queue-storage.js';
import { EmbeddedRuleState } from '../storage/embedded/rule-state.js';
import type { Adapters, AppLogger } from './adapters.js';
import { MemorySendRateLimiter } from './send-rate-guard.js';
import { type QueueName, topology } from './topology.js';
import type { WatchedRuleSource } from './watched-rule-source.js';

/** The DynamoDB table the DynamoDB stores use (dynalite, DynamoDB Local). */
export interface DynamoTable {
  client: DynamoDBClient;
  tableName: string;
}

/** What the local runtime keeps everything in (events, actions, rule state, crisis, queues). */
export type LocalStorage = { engine: 'embedded'; database: EmbeddedDatabase } | { engine: 'dynamodb'; table: DynamoTable };

export interface LocalAdapterOptions {
  /** The store (`table` is short for `{ engine: 'dynamodb', table }`). */
  storage?: LocalStorage;
  table?: DynamoTable;
  rules: WatchedRuleSource;
  settings: Settings;
  logger: AppLogger;
  clock?: Clock;
  forceSandbox?: boolean;
  actionLeaseMs?: number;
  /** Where people reach this runtime; known once the server listens. */
  foghornBaseUrl: () => string;
}

/** One page of a newest-first listing; `next` continues it. */
export interface ListingPage<T> {
  items: T[];
  next?: string;
}

/** The filters and cursor of a listing (core/api-query.ts ListingQuery). */
export interface ListingFilters {
  limit: number;
  cursor?: string;
  platform?: string;
  kind?: string;
  status?: string;
  rule?: string;
  type?: string;
  since?: string;
  until?: string;
  fingerprint?: string;
}

export interface QuarantineListing {
  id: string;
  platform: string;
  reason: string;
  detail?: string;
  rawRef: string;
  receivedAt: string;
}

/** What the local API lists straight from the store; on AWS the table's console answers these. */
export interface LocalListings {
  events(query: ListingFilters): Promise<ListingPage<CanonicalEvent>>;
  actions(query: ListingFilters): Promise<ListingPage<ActionRecord>>;
  quarantine(limit: number): Promise<QuarantineListing[]>;
}

export interface LocalAdapters extends Adapters {
  /** The topology's queues, durable in the store, each with its dead letters. */
  queues: Readonly<Record<QueueName, DurableQueue>>;
  bus: LocalBus<QueueName>;
  listings: LocalListings;
  events: EventStore & { getRaw(ref: string): Promise<Buffer | undefined> };
}

export interface StoreSet {
  events: EventStore & { getRaw(ref: string): Promise<Buffer | undefined> };
  actions: ActionStore;
  decisions: DecisionStore;
  ruleState: RuleState;
  cursors: CursorStore;
  crisisStores: CrisisStores;
  analytics: AnalyticsStore;
  posts: PostStore;
  assignments: AssignmentStore;
  listings: LocalListings;
}

/**
 * The adapters of Foghorn on one machine: the stores over the embedded database (or the same DynamoDB stores
 * as on AWS, over dynalite or DynamoDB Local), durable queues and a bus built from the topology, and the
 * watched rules folder. On the embedded database the event and decision stores are their own outbox: an event
 * goes on the bus, and a decision's commands on the actions queue, in the write that stores them.
 */
export async function localAdapters(options: LocalAdapterOptions): Promise<LocalAdapters> {
  const { logger } = options;
  const storage = storageOf(options);
  const queueLogger: QueueLogger = { error: (message, ...detail) => logger.error(message, { detail: detail.map(String) }) };
  // The DynamoDB stores (and the AWS SDK with them) are imported only in the DynamoDB mode: the embedded store starts without.
  const dynamo = storage.engine === 'dynamodb' ? await import('./local-dynamo-stores.js') : undefined;
  const queues = buildQueues(
    storage.engine === 'embedded' ? new EmbeddedQueueStorage(storage.database) : dynamo!.dynamoQueueStorage(storage.table),
    queueLogger,
  );
  const bus = new LocalBus<QueueName>(topology.busRoutes, queues);
  const stores = storage.engine === 'embedded' ? embeddedStores(storage.database, bus, queues) : dynamo!.dynamoStores(storage.table);
  return {
    clock: options.clock ?? systemClock,
    settings: options.settings,
    forceSandbox: options.forceSandbox ?? false,
    actionLeaseMs: options.actionLeaseMs ?? topology.actionLeaseMs,
    logger,
    ...stores,
    queues,
    bus,
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
    sendRates: localSendRates(options.settings),
    rules: options.rules,
    teamConfig: { load: async () => {}, current: () => options.rules.latest().compiled.config },
    foghornBaseUrl: options.foghornBaseUrl,
  };
}

function storageOf(options: LocalAdapterOptions): LocalStorage {
  if (options.storage && options.table) throw new Error('localAdapters: give storage or table, not both');
  if (options.storage) return options.storage;
  if (options.table) return { engine: 'dynamodb', table: options.table };
  throw new Error('localAdapters: storage is required (the embedded database, or a DynamoDB table)');
}

/** The topology's queues on one storage, each with its dead-letter queue (`<name>-dlq`). */
function buildQueues(storage: QueueStorage, logger: QueueLogger): Record<QueueName, DurableQueue> {
  return Object.fromEntries(
    Object.entries(topology.queues).map(([name, spec]) => {
      const deadLetter = new DurableQueue({ storage, name: `${name}-dlq`, visibilityTimeoutMs: 30_000, maxReceiveCount: 1, logger });
      const queue = new DurableQueue({
        storage,
        name,
        deadLetter,
        logger,
        visibilityTimeoutMs: spec.visibilityTimeoutSeconds * 1000,
        maxReceiveCount: spec.maxReceiveCount,
      });
      return [name, queue];
    }),
  ) as Record<QueueName, DurableQueue>;
}

function embeddedStores(database: EmbeddedDatabase, bus: LocalBus<QueueName>, queues: Record<QueueName, DurableQueue>): StoreSet {
  const events = new EmbeddedEventStore({ database, outbox: (tx, event) => bus.enqueueIn(tx, event) });
  const actions = new EmbeddedActionStore({ database });
  const crisisStores = embeddedCrisisStores(database);
  return {
    events,
    actions,
    decisions: new EmbeddedDecisionStore({
      database,
      outbox: (tx, commands) => {
        queues.actions.sendIn(
          tx,
          commands.map((command) => JSON.stringify(command)),
        );
      },
    }),
    ruleState: new EmbeddedRuleState({ database }),
    cursors: new EmbeddedCursorStore({ database }),
    analytics: new EmbeddedAnalyticsStore({ database }),
    posts: new EmbeddedPostStore(database),
    assignments: new EmbeddedAssignmentStore(database),
    // This process owns the data, so the crisis switch is read from memory after the first read.
    crisisStores: { ...crisisStores, crisis: new ProcessCachedCrisisStore(crisisStores.crisis) },
    listings: {
      events: (query) => events.listPage(query),
      actions: (query) => actions.listPage(query),
      quarantine: (limit) => events.listQuarantine(limit),
    },
  };
}

/**
 * One process sends everything, so its buckets are in memory: each platform's default rate, or the one
 * FOGHORN_SEND_RATES sets (JSON, as the stack's `sendRates`: platform → { rateLimit, burstLimit }). Only live sends are
 * held back; what sandbox mode records reaches no platform.
 */
function localSendRates(settings: Settings): NonNullable<Adapters['sendRates']> {
  const raw = settings.get('FOGHORN_SEND_RATES');
  const rates = raw === undefined || raw.trim() === '' ? sendRates() : sendRates(parseSendRates(raw));
  return { limiter: new MemorySendRateLimiter(), rates, liveOnly: true };
}

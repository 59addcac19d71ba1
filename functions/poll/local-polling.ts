import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Settings } from '../core/config.js';
import type { OutboundRequest, OutboundResponse } from '../core/http.js';
import { LiveSender } from '../core/outbound/index.js';
import { type Clock, type EventPublisher, type EventStore, systemClock } from '../core/ports.js';
import { LocalScheduler, type SchedulerLogger } from '../local/scheduler.js';
import type { Poller } from '../platforms/connector.js';
import { DynamoCursorStore } from '../storage/dynamo/cursor-store.js';
import { createPollHandler } from './poll-handler.js';
import { POLL_INTERVAL_MS, pollers as defaultPollers } from './pollers.js';

export interface LocalPollingOptions {
  table: { client: DynamoDBClient; tableName: string };
  store: EventStore;
  publisher: EventPublisher;
  settings: Settings;
  logger: SchedulerLogger;
  /** Default POLL_INTERVAL_MS (60 s), as the EventBridge schedule on AWS. */
  everyMs?: number;
  clock?: Clock;
  pollers?: readonly Poller[];
  send?: (request: OutboundRequest) => Promise<OutboundResponse>;
}

/**
 * The local runtime's stand-in for the poll function's schedule: the same createPollHandler as the Lambda,
 * over the embedded table's cursors, run once at start and then every interval. Pollers whose settings are
 * missing are skipped quietly. Call start() and, on shutdown, stop().
 */
export function localPolling(options: LocalPollingOptions): LocalScheduler {
  const sender = new LiveSender();
  const poll = createPollHandler({
    pollers: options.pollers ?? defaultPollers,
    cursors: new DynamoCursorStore(options.table),
    store: options.store,
    publisher: options.publisher,
    settings: options.settings,
    send: options.send ?? ((request) => sender.send(request)),
    clock: options.clock ?? systemClock,
  });
  return new LocalScheduler({
    name: 'poll',
    everyMs: options.everyMs ?? POLL_INTERVAL_MS,
    runAtStart: true,
    logger: options.logger,
    task: async () => { await poll(); },
  });
}

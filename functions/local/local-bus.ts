import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import { type CanonicalEvent, EVENT_DETAIL_TYPE, EVENT_SOURCE } from '../core/event.js';
import { BUS_EVENT_MAX_BYTES, excerptOf } from '../core/event-excerpt.js';
import type { EventPublisher } from '../core/ports.js';
import type { DurableQueue } from './durable-queue.js';
import type { QueueTransaction } from './queue-storage.js';

/** A bus rule: entries matching the pattern go to the target queue (the topology's busRoutes have this shape). */
export interface BusRoute<QueueName extends string = string> {
  name: string;
  /** An EventBridge event pattern; the local bus matches the subset Foghorn uses (exact values in lists). */
  pattern: { source: readonly string[]; 'detail-type': readonly string[] };
  targetQueue: QueueName;
}

/** True when an entry put on the bus matches the pattern (the subset of EventBridge patterns Foghorn uses). */
export function matchesPattern(pattern: BusRoute['pattern'], entry: { source: string; detailType: string }): boolean {
  return pattern.source.includes(entry.source) && pattern['detail-type'].includes(entry.detailType);
}

export interface BusEntry {
  source: string;
  detailType: string;
  detail: unknown;
}

/**
 * An EventBridge stand-in: wraps each entry in the envelope EventBridge delivers to an SQS target and
 * stores it on every queue whose route matches, resolving once all are stored. The routes are the
 * topology's, the same the CDK stack turns into bus rules. An entry no route matches is dropped, as on AWS.
 */
export class LocalBus<QueueName extends string = string> implements EventPublisher {
  private readonly routes: readonly BusRoute<QueueName>[];
  private readonly queues: Readonly<Record<QueueName, DurableQueue>>;

  constructor(routes: readonly BusRoute<QueueName>[], queues: Readonly<Record<QueueName, DurableQueue>>) {
    for (const route of routes) {
      if (!queues[route.targetQueue]) {
        throw new Error(
          `LocalBus: route '${route.name}' targets queue '${route.targetQueue}', which is not among the queues given (${Object.keys(queues).join(', ')})`,
        );
      }
    }
    this.routes = routes;
    this.queues = queues;
  }

  /** Publishes canonical events as `foghorn.ingest` / `social.event`, as the ingest function does on AWS (a large one as its excerpt). */
  async publish(events: readonly CanonicalEvent[]): Promise<void> {
    await this.putEvents(events.map((event) => ({ source: EVENT_SOURCE, detailType: EVENT_DETAIL_TYPE, detail: onTheBus(event) })));
  }

  /** PutEvents: returns, per entry, the names of the queues it was stored on. */
  async putEvents(entries: readonly BusEntry[], now = new Date()): Promise<QueueName[][]> {
    const { targets, bodiesByQueue } = this.route(entries, now);
    await Promise.all([...bodiesByQueue].map(([queue, bodies]) => this.queues[queue].send(bodies)));
    return targets;
  }

  /**
   * The outbox of a store sharing the queues' database: routes a canonical event into the write `tx` that
   * stores it, so it is on its queues exactly when that write commits. Returns the names of those queues.
   */
  enqueueIn(tx: QueueTransaction, event: CanonicalEvent, now = new Date()): QueueName[] {
    const { targets, bodiesByQueue } = this.route([{ source: EVENT_SOURCE, detailType: EVENT_DETAIL_TYPE, detail: onTheBus(event) }], now);
    for (const [queue, bodies] of bodiesByQueue) this.queues[queue].sendIn(tx, bodies);
    return targets[0] ?? [];
  }

  /** Each entry's envelope on every queue a route sends it to (once per queue), and per entry those queues. */
  private route(entries: readonly BusEntry[], now: Date): { targets: QueueName[][]; bodiesByQueue: Map<QueueName, string[]> } {
    const bodiesByQueue = new Map<QueueName, string[]>();
    const targets = entries.map((entry) => {
      const body = JSON.stringify(envelope(entry, now));
      const matched = [...new Set(this.routes.filter((route) => matchesPattern(route.pattern, entry)).map((route) => route.targetQueue))];
      for (const queue of matched) {
        const bodies = bodiesByQueue.get(queue) ?? [];
        bodies.push(body);
        bodiesByQueue.set(queue, bodies);
      }
      return matched;
    });
    return { targets, bodiesByQueue };
  }
}

/** The event as EventBridge hands it to a target. */
export function envelope(entry: BusEntry, now: Date): EventBridgeEvent<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.detailType,
    source: entry.source,
    account: '000000000000',
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'local',
    resources: [],
    detail: entry.detail,
  };
}

/** As on EventBridge (event-bridge-publisher.ts): a large event travels as its excerpt, and evaluate reads it whole. */
function onTheBus(event: CanonicalEvent): CanonicalEvent {
  return excerptOf(event, BUS_EVENT_MAX_BYTES);
}

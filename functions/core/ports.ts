import type { ActionCommand } from './action-command.js';
import type { CanonicalEvent } from './event.js';
import type { OutboundRequest } from './http.js';

/** Small interfaces the core needs from the outside world; AWS and local adapters implement them. */

export interface StoredEvent {
  event: CanonicalEvent;
  published: boolean;
}

export interface EventStore {
  /** Keeps the platform's payload as received; returns the ref stored on the event. */
  putRaw(platform: string, rawBody: Buffer, receivedAt: Date): Promise<string>;
  /** Stores the event unless one with its id exists (conditional put). */
  putIfAbsent(event: CanonicalEvent): Promise<{ created: boolean; published: boolean }>;
  markPublished(eventId: string): Promise<void>;
  get(eventId: string): Promise<StoredEvent | undefined>;
  /** Newest first. */
  listRecent(limit: number): Promise<CanonicalEvent[]>;
  addTags(eventId: string, tags: readonly string[]): Promise<void>;
  /** A signed payload that could not be normalised, kept for inspection. */
  quarantine(entry: { platform: string; reason: string; detail?: unknown; rawRef: string; receivedAt: Date }): Promise<string>;
}

/** Where each polled platform stopped reading: an opaque string its Poller writes and reads back. */
export interface CursorStore {
  get(platform: string): Promise<string | undefined>;
  put(platform: string, cursor: string, now: Date): Promise<void>;
}

/** The event bus (EventBridge on AWS). */
export interface EventPublisher {
  publish(events: readonly CanonicalEvent[]): Promise<void>;
}

/** The actions queue (SQS on AWS). */
export interface CommandQueue {
  send(commands: readonly ActionCommand[]): Promise<void>;
}

/**
 * in-progress: claimed; retrying: a transient failure, will run again; succeeded: done (or found on the
 * platform after an ambiguous call); failed: permanent, or out of deliveries (in the dead-letter queue);
 * held: waiting in the approval queue; unknown: it may have been sent and could not be checked, so a person
 * decides (in the approval queue as "may have been sent"). See docs/delivery.md.
 */
export type ActionStatus = 'in-progress' | 'retrying' | 'succeeded' | 'failed' | 'held' | 'unknown';

/** What an action did; listed by `GET /api/actions`. */
export interface ActionRecord {
  id: string;
  eventId: string;
  ruleId: string;
  type: string;
  status: ActionStatus;
  mode?: 'live' | 'sandbox';
  /** The request sent or, in sandbox mode, that would have been sent (secrets redacted). */
  request?: OutboundRequest;
  externalId?: string;
  error?: string;
  attempts: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * What a claim found: `claimed` a command new or released after a failure (this worker may run it);
 * `reclaimed` a command another worker claimed and never completed before its lease ran out (it may have
 * crashed after sending: the outcome is ambiguous); `completed` one that already ran (skip); `busy` one
 * another worker holds under an unexpired lease (retry later).
 */
export type ClaimResult = 'claimed' | 'reclaimed' | 'completed' | 'busy';

/**
 * At-most-once bookkeeping for actions: a record claimed before the outside call and completed after
 * (what reaches the platform depends on its outcome model: docs/delivery.md).
 */
export interface ActionStore {
  claim(command: ActionCommand, leaseMs: number, now: Date): Promise<ClaimResult>;
  complete(
    commandId: string,
    outcome: Pick<ActionRecord, 'status' | 'mode' | 'request' | 'externalId' | 'error'>,
    now: Date,
  ): Promise<void>;
  release(commandId: string, error: string, now: Date): Promise<void>;
  get(commandId: string): Promise<ActionRecord | undefined>;
  /** Newest first. */
  listRecent(limit: number): Promise<ActionRecord[]>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The rules' decision for an event, kept so a re-evaluation (a retried batch) reuses it instead of spending limits twice. */
export interface DecisionStore {
  get(eventId: string): Promise<StoredDecision | undefined>;
  /** Keeps the first decision for an event; returns the one that is kept. */
  putIfAbsent(decision: StoredDecision): Promise<StoredDecision>;
}

export interface StoredDecision {
  eventId: string;
  rules: string[];
  commands: ActionCommand[];
  decidedAt: string;
}

/** Where a command that failed for good goes, to wait for a human and a redrive. */
export interface DeadLetters {
  send(command: ActionCommand, error: string): Promise<void>;
}

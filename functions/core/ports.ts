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

/** in-progress: claimed; retrying: a transient failure, will run again; failed: permanent (in the dead-letter queue). */
export type ActionStatus = 'in-progress' | 'retrying' | 'succeeded' | 'failed' | 'held';

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
 * Exactly-once bookkeeping for actions: a record claimed before the outside call and completed after.
 * `claim` answers `completed` for an action that already ran (skip), `busy` while another worker holds
 * an unexpired claim (retry later), `claimed` when this worker may run it.
 */
export interface ActionStore {
  claim(command: ActionCommand, leaseMs: number, now: Date): Promise<'claimed' | 'completed' | 'busy'>;
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

import type { ActionCommand } from './action-command.js';
import type { CanonicalEvent } from './event.js';
import type { OutboundRequest } from './http.js';
import type { RuleState } from './rule-set.js';

/** Small interfaces the core needs from the outside world; AWS and local adapters implement them. */

/** A platform's payload exactly as received, kept with the first event it carried. */
export interface RawPayload {
  platform: string;
  body: Buffer;
  receivedAt: Date;
}

/** A delivery's raw payload is stored with its first event; every event of the delivery points there (`raw.ref`). */
export function rawRefOf(firstEventId: string | undefined): string {
  return `event#${firstEventId ?? ''}`;
}

export interface StoredEvent {
  event: CanonicalEvent;
  /**
   * `true`: the store put it on the bus in the write that stored it (a store that is its own outbox);
   * `false`: stored before its publish was confirmed (records from before ingest published duplicates);
   * absent: the store does not track it (ingest publishes after the put and answers 5xx until it has).
   */
  published?: boolean;
}

export interface EventStore {
  /**
   * Stores the event, with the raw payload it came in when given, in one conditional write unless one
   * with its id exists. `published: true` when the store itself put the event on the bus (its outbox);
   * otherwise the caller publishes it, a duplicate too (evaluation deduplicates on the decision).
   */
  putIfAbsent(event: CanonicalEvent, raw?: RawPayload): Promise<{ created: boolean; published: boolean }>;
  get(eventId: string): Promise<StoredEvent | undefined>;
  /** Newest first. */
  listRecent(limit: number): Promise<CanonicalEvent[]>;
  addTags(eventId: string, tags: readonly string[]): Promise<void>;
  /** A signed payload that could not be normalised, kept for inspection with its bytes in the same write. */
  quarantine(entry: { platform: string; reason: string; detail?: unknown; raw: Buffer; receivedAt: Date }): Promise<string>;
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
  /** Records the outcome and, in the same write, what the action changed elsewhere (`effects`). */
  complete(commandId: string, outcome: ActionOutcomeRecord, now: Date, effects?: CompletionEffects): Promise<void>;
  release(commandId: string, error: string, now: Date): Promise<void>;
  get(commandId: string): Promise<ActionRecord | undefined>;
  /** Newest first. */
  listRecent(limit: number): Promise<ActionRecord[]>;
}

/** What `complete` records about an action's outcome. */
export type ActionOutcomeRecord = Pick<ActionRecord, 'status' | 'mode' | 'request' | 'externalId' | 'error'>;

/**
 * What a completed action changed besides its own record, written with the completion so an action costs
 * one claim and one completion: the tags it put on its event, the audit line it earned.
 */
export interface CompletionEffects {
  tags?: { eventId: string; tags: string[] };
  audit?: AuditRecord;
  /**
   * The conversations a reply answered, and when: written with the completion for a timer store that learns of
   * answers so (its `answeredByCompletion`), which settles the response timers waiting there when it next lists them.
   */
  answered?: { conversations: string[]; at: string };
}

export type AuditKind = 'action' | 'approval' | 'crisis' | 'escalation' | 'spike' | 'sla' | 'listen' | 'post' | 'assignment';

/** One line of the audit log: what happened, to what, and why (event, rule, person). */
export interface AuditRecord {
  /** Deterministic where the fact is (a retried step records it once). */
  id: string;
  at: string;
  kind: AuditKind;
  /** e.g. `reply.sent`, `approval.approved`, `crisis.on`, `escalation.sent`, `spike.opened`. */
  what: string;
  who?: string;
  why?: string;
  eventId?: string;
  ruleId?: string;
  commandId?: string;
  detail?: Record<string, unknown>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The rules' decision for an event, kept so a re-evaluation (a retried batch) reuses it instead of spending limits twice. */
export interface DecisionStore {
  /** `queued: true` when the store put the decision's commands on the actions queue itself. */
  get(eventId: string): Promise<(StoredDecision & { queued?: boolean }) | undefined>;
  /**
   * Keeps the first decision for an event, in one conditional write with no read before it; returns the
   * one kept (this one when `created`, the earlier one on a conflict). `queued: true` when the store put
   * the kept decision's commands on the actions queue in the same write (its outbox): the caller sends
   * them only when it is false.
   */
  putIfAbsent(decision: StoredDecision): Promise<{ decision: StoredDecision; created: boolean; queued: boolean }>;
  /**
   * Optional, for a store whose rule limits live beside its decisions (DynamoDB): `decide` is run on a rule state
   * of the store's, and the limits it spent are written in the decision's own write, so a limit is spent exactly
   * when the decision lands and nothing is read first. `decide` runs again only when a spend lost a race to another
   * evaluator (its guess of a limit was stale); the spike counts and heartbeats an evaluation holds
   * (storage/decision-writes.ts) are written once, with the decision that is kept. Kept as putIfAbsent keeps it.
   */
  decideOnce?(
    eventId: string,
    decide: (state: RuleState) => Promise<StoredDecision>,
  ): Promise<{ decision: StoredDecision; created: boolean; queued: boolean }>;
  /**
   * Optional, for a store that holds its kept decisions' counts back to write them merged (DynamoDB): writes what it
   * holds. Whoever decides a batch of events calls it when the batch is done, whether or not every event succeeded.
   */
  settle?(): Promise<void>;
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

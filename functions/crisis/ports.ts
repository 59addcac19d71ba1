import type { ActionCommand } from '../core/action-command.js';
import type { CanonicalEvent } from '../core/event.js';
import type { AuditRecord } from '../core/ports.js';
import type { PlannedAction } from '../core/rule-set.js';
import type { EscalationEvent } from '../escalation/escalation.js';
import type { GuardCode } from './outgoing-guard.js';

/**
 * What the crisis and SLA core needs from storage. DynamoDB implementations live in
 * functions/storage/dynamo/, in-memory ones in functions/crisis/memory/. Every state change that must
 * happen once (an episode opening, a timer firing, an approval deciding) is a conditional write that
 * answers whether this caller won.
 */

/** Time-bucketed counts (one bucket per minute), added to atomically. */
export interface CounterStore {
  /**
   * Counts one event in `at`'s minute. With a `sample`, the bucket also keeps it among the last
   * SAMPLES_PER_MINUTE events it counted (a ring written conditionally, so a slow writer never replaces
   * a later sample): what an escalation digest lists. A store may sample only every Nth event past a minute's
   * first few, so a fast rule's ring takes a bounded share of its writes (DynamoDB: counter-store.ts).
   */
  increment(key: string, at: Date, retainMs: number, sample?: EscalationEvent): Promise<void>;
  /** Per-minute counts of `key` for the minutes from `fromMinute` to `toMinute` inclusive (epoch minutes). */
  buckets(key: string, fromMinute: number, toMinute: number, now: Date): Promise<Map<number, number>>;
  /** Up to `limit` samples kept in those minutes, the latest first. */
  samples(key: string, fromMinute: number, toMinute: number, now: Date, limit: number): Promise<EscalationEvent[]>;
}

/** How many of a minute's events its counter bucket keeps as samples. */
export const SAMPLES_PER_MINUTE = 5;

/** A sample as a bucket keeps it: `seq` is its place in the minute's count. */
export interface CountedSample {
  seq: number;
  sample: EscalationEvent;
}

/** The latest samples first: later minute, then later place in the minute. */
export function latestSamples(
  byMinute: ReadonlyArray<{ minute: number; samples: readonly CountedSample[] }>,
  limit: number,
): EscalationEvent[] {
  return byMinute
    .flatMap(({ minute, samples }) => samples.map((entry) => ({ minute, ...entry })))
    .sort((a, b) => b.minute - a.minute || b.seq - a.seq)
    .slice(0, limit)
    .map((entry) => entry.sample);
}

/** A spike of one rule, from the event that crossed the threshold until a quiet period ends it. */
export interface SpikeEpisode {
  ruleId: string;
  /** Names the incident everywhere (PagerDuty dedup_key, Opsgenie alias). */
  incident: string;
  status: 'open' | 'closed';
  startedAt: string;
  lastEventAt: string;
  /** Matching events seen during the episode, the opening one included. */
  count: number;
  quietMs: number;
  closedAt?: string;
  /** The event that opened the episode: resolve commands answer it. */
  firstEvent: CanonicalEvent;
  /** The actions the rule took when the episode opened; its escalations are resolved when it ends. */
  actions: PlannedAction[];
  /** The rule's `onQuiet:` actions, rendered for the opening event: queued once when the episode ends. */
  onQuiet?: PlannedAction[];
  /** The latest matching events when the episode opened (what its escalations listed). */
  samples?: EscalationEvent[];
}

export interface EpisodeStore {
  /** The rule's latest episode, open or closed. */
  current(ruleId: string): Promise<SpikeEpisode | undefined>;
  /**
   * Optional: the rule's latest episode as read at most a few seconds ago, its count and lastEventAt as of its
   * opening: what each matching event checks (AWS, where one item read per event would be a hot key).
   */
  recent?(ruleId: string): Promise<SpikeEpisode | undefined>;
  /** Opens `episode` unless one is open for its rule; true when this caller opened it. */
  open(episode: SpikeEpisode): Promise<boolean>;
  /** Records one more matching event in the open episode (never moves lastEventAt backwards). */
  touch(ruleId: string, incident: string, at: Date): Promise<void>;
  listOpen(): Promise<SpikeEpisode[]>;
  /** Closes the episode if it is still open and nothing arrived after `lastEventAt`; true when this caller closed it. */
  close(ruleId: string, incident: string, lastEventAt: string, now: Date): Promise<boolean>;
}

export interface CrisisState {
  on: boolean;
  /** When the switch last changed, who changed it and why. */
  since?: string;
  by?: string;
  why?: string;
  /** Counts changes, so two people switching at once cannot both win. */
  version: number;
}

export interface CrisisStore {
  /** The switch as it is now (the guard before a reply goes out, the API, a change). */
  get(): Promise<CrisisState>;
  /** Sets the switch if it is still at `expectedVersion`; false when someone else changed it first. */
  set(next: Omit<CrisisState, 'version'>, expectedVersion: number): Promise<boolean>;
  /**
   * Optional: the switch as read at most a few seconds ago, for decisions (the `crisisMode` fact), where many
   * functions share it (AWS). The guard before a send never uses it: crisis mode holds the next reply at once.
   */
  getRecent?(): Promise<CrisisState>;
  /**
   * Optional: true (once) when the claim of `commandId` was written on condition that crisis mode was off (one
   * transaction, action-store.ts), so the guard need not read the switch again for it.
   */
  checkedOffAtClaim?(commandId: string): boolean;
}

export type TimerStatus = 'pending' | 'answered' | 'fired';

/** An SLA response timer: fires when its message is still unanswered at `dueAt`. */
export interface SlaTimer {
  id: string;
  ruleId: string;
  eventId: string;
  /** Conversations an answer may arrive in (see conversation.ts). */
  conversations: string[];
  /** The duration as the rule wrote it (`10m`). */
  after: string;
  dueAt: string;
  status: TimerStatus;
  /** The message the timer watches. */
  event: CanonicalEvent;
  /** The rule's actions, deferred until the timer fires. */
  actions: PlannedAction[];
  createdAt: string;
  answeredAt?: string;
  firedAt?: string;
}

export interface TimerStore {
  /**
   * True when a reply's answer reaches the store with the reply's completion (CompletionEffects.answered, in the
   * same write) instead of the guard settling the conversation's timers: the store then settles a timer answered
   * before it lists it (pendingInConversation, pendingInMinutes), so no timer fires for a message a reply answered.
   */
  readonly answeredByCompletion?: boolean;
  /** Stores the timer unless one with its id exists; true when created. */
  put(timer: SlaTimer, now: Date): Promise<boolean>;
  get(id: string): Promise<SlaTimer | undefined>;
  /** Pending timers filed under the given epoch minutes (a time-indexed key: no scan). */
  pendingInMinutes(minutes: readonly number[]): Promise<SlaTimer[]>;
  /** Pending timers waiting in a conversation. */
  pendingInConversation(conversation: string): Promise<SlaTimer[]>;
  /** pending → answered or fired; true when this caller made the change. */
  settle(id: string, status: 'answered' | 'fired', at: Date): Promise<boolean>;
  /** The last minute the sweep finished (epoch minutes). */
  sweptThrough(): Promise<number | undefined>;
  setSweptThrough(minute: number): Promise<void>;
}

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired';

/** A held action waiting for a human. */
export interface Approval {
  /** The held command's id: holding the same command twice files one approval. */
  id: string;
  status: ApprovalStatus;
  /** Why it was held: `crisis mode`, `sensitive term "…"`, a rule's hold reason, … */
  reason: string;
  /** `outcome`: a reply or post that may have been sent (no answer came); approving sends it again. */
  heldBy: 'rule' | 'crisis' | 'guard' | 'outcome';
  /** For a guard's hold: which check held it, and what it found (the term, the recipient, the length). */
  guard?: { code: GuardCode; detail: string };
  /** The command to run once approved (for a rule's `hold`, the parked reply or post); absent when nothing waits. */
  command?: ActionCommand;
  createdAt: string;
  expiresAt: string;
  decidedAt?: string;
  decidedBy?: string;
  decisionNote?: string;
  /** When the approved command was put on the actions queue. */
  dispatchedAt?: string;
}

export interface ApprovalStore {
  /** Files the approval unless one with its id exists; returns the stored one. */
  putIfAbsent(approval: Approval): Promise<Approval>;
  get(id: string): Promise<Approval | undefined>;
  /** Newest first. */
  list(status: ApprovalStatus | undefined, limit: number): Promise<Approval[]>;
  /** pending → `to`, only if still pending; true when this caller decided it. */
  decide(id: string, to: Exclude<ApprovalStatus, 'pending'>, by: string, note: string | undefined, now: Date): Promise<boolean>;
  /** Notes that the approved command went onto the actions queue. */
  markDispatched(id: string, now: Date): Promise<void>;
}

/** The audit shape is the core's: an action's completion writes its audit line (core/ports.ts CompletionEffects). */
export type { AuditKind } from '../core/ports.js';
export type AuditEntry = AuditRecord;

export interface AuditLog {
  /** Records the entry once per id. */
  record(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  list(limit: number): Promise<AuditEntry[]>;
}

import type { CanonicalEvent } from '../core/event.js';
import type { StoredDecision } from '../core/ports.js';

/**
 * What response-time analytics needs from storage (the consumer owns the port): hourly buckets of figures that
 * only ever add up, and one response clock per conversation. The embedded store (functions/storage/embedded/),
 * the DynamoDB one (functions/storage/dynamo/) and the in-memory one (./memory/) implement it; one contract suite
 * (test/analytics/support/analytics-store-contract.ts) runs on all three.
 */

/** Where a figure belongs: an hour, and the platform, channel and language of the conversation. */
export interface BucketKey {
  /** The hour's start, as an ISO time (`2026-11-22T10:00:00.000Z`). */
  hour: string;
  platform: string;
  /** The channel's id on its platform. */
  channel: string;
  /** The message's language; `und` when nobody knows it. */
  lang: string;
  /**
   * Who owned the conversation when it was answered (its first response): the person and the team of its
   * assignment (functions/assignment/). Only first-response figures carry them; absent: nobody owned it.
   */
  person?: string;
  team?: string;
}

/** The counts of a bucket. Every one only ever adds. */
export interface BucketCounts {
  /** Customers' messages received. */
  inbound: number;
  /** Every answer that reached a conversation: replies Foghorn sent on its own, and those a person wrote or approved. */
  answersAutomated: number;
  answersHuman: number;
  /** First responses (the answer that stopped a conversation's clock), by who gave them. */
  firstAutomated: number;
  firstHuman: number;
  /** First responses within the response target in force when each was measured. */
  withinTarget: number;
  slaBreaches: number;
}

/** A spike episode's start or end, kept in the bucket of the hour it happened in (with its first event's dimensions). */
export interface SpikeMark {
  incident: string;
  ruleId: string;
  /** ISO time. */
  at: string;
  edge: 'opened' | 'ended';
}

/** What one bucket gains: counts to add, first-response times, rule hits and spike marks to append. */
export interface AnalyticsDelta extends BucketKey, Partial<BucketCounts> {
  /** First-response times measured, in milliseconds. */
  responseMs?: number[];
  /** Decisions that listed each rule. */
  ruleHits?: Record<string, number>;
  spikes?: SpikeMark[];
}

/** A bucket as stored: its counts, its first-response times, and what else happened in its hour. */
export interface AnalyticsBucket extends BucketKey, BucketCounts {
  /**
   * The first-response times in milliseconds, exactly, up to RESPONSE_TIMES_PER_BUCKET (figures.ts); beyond that
   * only the histogram counts them. Complete when its length is firstAutomated + firstHuman.
   */
  responseMs: number[];
  /** Every first-response time, by histogram bin (figures.ts `histogramBin`): the fallback for a full bucket. */
  histogram: Record<string, number>;
  ruleHits: Record<string, number>;
  spikes: SpikeMark[];
}

/** A customer's message that starts a conversation's clock unless one is running. */
export interface ClockStart extends Omit<BucketKey, 'hour'> {
  /** The conversation key (crisis/conversation.ts). */
  conversation: string;
  messageId: string;
  /** When the message was written, epoch milliseconds. */
  at: number;
}

/** Who owns a conversation from `since` on (an assignment): the first response measured there counts for them. */
export interface OwnerNote {
  /** The conversation key the assignment is kept under (crisis/conversation.ts ticketConversation). */
  conversation: string;
  person?: string;
  team?: string;
  /** When this owner got it, epoch milliseconds: a note older than the one kept changes nothing (a replay). */
  since: number;
}

/** An answer that stops the clocks running in the conversations it reaches. */
export interface ClockStop {
  conversations: readonly string[];
  /** When the answer was written or sent, epoch milliseconds. */
  at: number;
  by: 'automated' | 'human';
  /** The response target in force, in milliseconds. */
  targetMs: number;
  /**
   * The change this answer comes from, when the same change may be folded again (a replayed stream record): a stop
   * refused because this very source already stopped the clock measures again what it measured, so figures lost with
   * a failed bucket write come back on the replay (and the bucket's own marks keep them from counting twice).
   */
  source?: string;
}

export interface AnalyticsStore {
  /**
   * True when the figures come from the store's own change stream (the AWS table's DynamoDB Stream, folded by the
   * analytics function), not from the pipeline's steps: the pipeline then writes none of them, and only keeps with
   * its own items what the stream needs (the decision's subject, a reply's answer).
   */
  readonly recordedFromStream?: boolean;
  /** Adds each delta to its bucket. */
  add(deltas: readonly AnalyticsDelta[]): Promise<void>;
  /**
   * Starts the conversation's clock at the message's time, unless a clock is running there already or the
   * conversation was answered at or after that time (an answer that was processed before the message).
   */
  startClock(start: ClockStart): Promise<void>;
  /**
   * Stops the clock running in each of the answer's conversations that started no later than the answer, notes the
   * conversation as answered at `at`, and measures each first response (figures.ts `firstResponse`). Returns the
   * figures the caller must still add: none when the store added them in the same write as the stop.
   */
  stopClocks(stop: ClockStop): Promise<AnalyticsDelta[]>;
  /**
   * Notes the conversation's owner beside its clock (creating the record when none is kept), unless a more recent
   * note is kept. A clock stopped later counts its first response for the owner noted on any of the stop's
   * conversations (the one whose clock ran first).
   */
  ownerChanged(note: OwnerNote): Promise<void>;
  /** The buckets of the hours from `from` (inclusive) to `to` (exclusive); everything recorded so far is included. */
  read(from: Date, to: Date): Promise<AnalyticsBucket[]>;
}

/**
 * A decision as kept where its figures are derived from the store's change stream: with its event's subject
 * (recorder.ts `analyticsSubjectOf`), since a decision with no commands carries no event of its own.
 */
export type DecisionWithSubject = StoredDecision & { analyticsSubject?: CanonicalEvent };

/** How long a conversation's clock and its answered mark are kept: an answer later than this is not a first response. */
export const CLOCK_RETENTION_MS = 35 * 24 * 3_600_000;

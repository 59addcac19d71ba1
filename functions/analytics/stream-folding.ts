import type { CanonicalEvent } from '../core/event.js';
import { answeredConversations } from '../crisis/conversation.js';
import type { AnalyticsDelta, AnalyticsStore } from './ports.js';
import { type AnalyticsRecorder, type AssignedOwner, conversationOf, type ReplyAnswer, repliedConversations } from './recorder.js';

/**
 * The figures derived from the pipeline's own changes, read back in the order the store made them (a change
 * stream), instead of recorded by the pipeline's steps: the same recorder (recorder.ts) on the same facts, so both
 * runtimes count alike.
 * Cost per batch: one conditional clock write per change that starts or stops a clock or changes a conversation's
 * owner (each on its conversation's own item), and one write per hour bucket the batch touches, however many changes
 * it holds.
 * Replays are safe: a clock start is conditional, a stop replayed by the same source measures again what it measured
 * (ports.ts ClockStop.source), and each bucket keeps the last position it applied from each stream (`addOnce`).
 */

/** One change that means something for the figures, at its position in its stream. */
export type AnalyticsChange =
  | { position: string; source: string; decided: { subject: CanonicalEvent; rules: string[] } }
  | { position: string; source: string; answered: { answer: ReplyAnswer; at: Date } }
  | { position: string; source: string; owned: AssignedOwner };

/** What one change adds to the buckets, at its position. */
export interface Contribution {
  position: string;
  deltas: AnalyticsDelta[];
}

/** A store that adds a stream's contributions once, however often the same positions come again. */
export interface OnceAnalyticsStore {
  /**
   * Adds each contribution whose bucket has not yet applied its position from `stream`; a bucket's positions only
   * ever grow. Returns the first position whose figures may be missing (a write failed), else undefined.
   */
  addOnce(stream: string, contributions: readonly Contribution[]): Promise<string | undefined>;
}

/** Lanes of a batch folded at once: each lane's clock writes one after another, the lanes side by side. */
export const LANES_IN_FLIGHT = 16;

/**
 * Folds one batch of a stream's changes: the clocks as it goes, then every bucket once. Changes that touch a common
 * conversation are folded in stream order, one lane at a time; lanes with no conversation in common go side by side
 * (their clocks are apart). The buckets get the contributions up to the first change that failed or was not reached,
 * in position order, as their once-only marks need. Returns the first position to fold again (the batch's failure
 * point), or undefined when all of it is in; a clock written past that point is written again harmlessly (each clock
 * write refuses what it already did).
 */
export async function foldChanges(
  recorder: AnalyticsRecorder,
  store: AnalyticsStore & OnceAnalyticsStore,
  stream: string,
  changes: readonly AnalyticsChange[],
  onError: (error: unknown, change: AnalyticsChange) => void = () => {},
): Promise<string | undefined> {
  const folded = new Map<AnalyticsChange, AnalyticsDelta[]>();
  const lanes = lanesOf(changes);
  let next = 0;
  const worker = async () => {
    while (next < lanes.length) {
      const lane = lanes[next++]!;
      for (const change of lane) {
        const deltas: AnalyticsDelta[] = [];
        try {
          if ('decided' in change) await recorder.decided(change.decided.subject, change.decided.rules, deltas, change.source);
          else if ('answered' in change) await recorder.answered(change.answered.answer, change.answered.at, deltas, change.source);
          else await recorder.ownerChanged(change.owned);
        } catch (error) {
          onError(error, change);
          break;
        }
        folded.set(change, deltas);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(LANES_IN_FLIGHT, lanes.length) }, worker));
  const contributions: Contribution[] = [];
  let failedAt: string | undefined;
  for (const change of changes) {
    const deltas = folded.get(change);
    if (!deltas) {
      failedAt = change.position;
      break;
    }
    contributions.push({ position: change.position, deltas });
  }
  const unapplied = await store.addOnce(stream, contributions);
  if (failedAt === undefined) return unapplied;
  if (unapplied === undefined) return failedAt;
  return comparePositions(unapplied, failedAt) < 0 ? unapplied : failedAt;
}

/** Orders stream positions: decimal numbers without leading zeros, so the shorter is the smaller. */
export function comparePositions(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The batch's changes by the conversations they touch: changes sharing one are in one lane, in stream order. */
export function lanesOf(changes: readonly AnalyticsChange[]): AnalyticsChange[][] {
  // Union-find over the changes' indexes: a change joins the lane of every earlier change sharing a conversation.
  const parent = changes.map((_, index) => index);
  const root = (index: number): number => {
    while (parent[index] !== index) index = parent[index] = parent[parent[index]!]!;
    return index;
  };
  const firstWith = new Map<string, number>();
  changes.forEach((change, index) => {
    for (const conversation of conversationsOf(change)) {
      const seen = firstWith.get(conversation);
      if (seen === undefined) firstWith.set(conversation, index);
      else parent[root(index)] = root(seen);
    }
  });
  const lanes = new Map<number, AnalyticsChange[]>();
  changes.forEach((change, index) => {
    const lane = root(index);
    const members = lanes.get(lane);
    if (members) members.push(change);
    else lanes.set(lane, [change]);
  });
  return [...lanes.values()];
}

/** Every conversation whose clock a change may read or write (more is safe: it only joins lanes). */
function conversationsOf(change: AnalyticsChange): string[] {
  if ('owned' in change) return [change.owned.conversation];
  if ('answered' in change) return [...change.answered.answer.conversations];
  const { subject } = change.decided;
  return [...new Set([conversationOf(subject), ...repliedConversations(subject), ...answeredConversations(subject)])];
}

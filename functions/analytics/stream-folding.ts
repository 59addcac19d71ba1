import type { CanonicalEvent } from '../core/event.js';
import type { AnalyticsDelta, AnalyticsStore } from './ports.js';
import type { AnalyticsRecorder, AssignedOwner, ReplyAnswer } from './recorder.js';

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

/**
 * Folds one batch of a stream's changes, in order: the clocks as it goes (stopping at the first that fails), then
 * every bucket once. Returns the first position to fold again (the batch's failure point), or undefined when all
 * of it is in.
 */
export async function foldChanges(
  recorder: AnalyticsRecorder,
  store: AnalyticsStore & OnceAnalyticsStore,
  stream: string,
  changes: readonly AnalyticsChange[],
  onError: (error: unknown, change: AnalyticsChange) => void = () => {},
): Promise<string | undefined> {
  const contributions: Contribution[] = [];
  let failedAt: string | undefined;
  for (const change of changes) {
    const deltas: AnalyticsDelta[] = [];
    try {
      if ('decided' in change) await recorder.decided(change.decided.subject, change.decided.rules, deltas, change.source);
      else if ('answered' in change) await recorder.answered(change.answered.answer, change.answered.at, deltas, change.source);
      else await recorder.ownerChanged(change.owned);
    } catch (error) {
      onError(error, change);
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

import { type Provided, resolveProvided } from '../core/provided.js';
import type { CrisisKit } from '../crisis/crisis-kit.js';
import type { CrisisSweepReport } from '../crisis/sweep.js';
import type { PostSweepReport, ScheduledPosts } from '../posts/scheduled-posts.js';
import type { Adapters } from './adapters.js';
import { crisisKitOf } from './crisis-kit-of.js';
import { scheduledPostsOf } from './scheduled-posts-of.js';
import { stage } from './stage.js';

/** What one sweep did: the crisis kit's steps, and the scheduled posts it published or suspended. */
export type SweepReport = CrisisSweepReport & PostSweepReport;

/** Time kept back from the Lambda's timeout for the steps after the timers (episodes, approvals, posts). */
export const SWEEP_MARGIN_MS = 20_000;

/** What the sweep reads of the Lambda context: how long until the function is stopped. */
export interface RunTime {
  getRemainingTimeInMillis(): number;
}

/**
 * The scheduled sweep (EventBridge, every minute): fire due SLA timers, end quiet spikes, expire approvals, then
 * publish the posts due by this minute, or suspend them all in crisis mode. Posts are the sweep's rather than an
 * at-time schedule each: the same code on both runtimes, the crisis switch read at the moment of publishing, and
 * nothing to delete or re-create when a post is cancelled, suspended or moved.
 */
export function createSweepHandler(
  kit: Provided<Pick<CrisisKit, 'sweep'>>,
  onReport: (report: SweepReport) => void = () => {},
  posts?: Pick<ScheduledPosts, 'sweep'>,
) {
  return async (_event?: unknown, context?: RunTime): Promise<SweepReport> => {
    const timeLeftMs = context ? () => context.getRemainingTimeInMillis() - SWEEP_MARGIN_MS : undefined;
    const crisis = await (await resolveProvided(kit)).sweep(timeLeftMs);
    const published = posts ? await posts.sweep() : { postsPublished: 0, postsSuspended: 0 };
    const report = { ...crisis, ...published };
    onReport(report);
    return report;
  };
}

/** The sweep stage over the adapters' crisis stores and post store; `onReport` sees every run (the Lambda turns it into metrics). */
export function sweepStage(
  adapters: Provided<Adapters>,
  onReport?: (report: SweepReport) => void,
): (event?: unknown, context?: RunTime) => Promise<SweepReport> {
  return stage(adapters, async (wired) => createSweepHandler(await crisisKitOf(wired), onReport, scheduledPostsOf(wired)));
}

import type { ActionCommand } from '../core/action-command.js';
import type { CanonicalEvent } from '../core/event.js';
import type { EventStore } from '../core/ports.js';
import { expireApprovals } from './approvals.js';
import { endQuietEpisodes } from './episode-end.js';
import type { ApprovalStore, AuditLog, EpisodeStore, TimerStore } from './ports.js';
import { sweepSlaTimers } from './sla-timer.js';

export interface CrisisSweepDependencies {
  timers: TimerStore;
  episodes: EpisodeStore;
  approvals: ApprovalStore;
  audit: AuditLog;
  /** Stores and publishes a breach event (idempotent on its id). */
  emit(event: CanonicalEvent): Promise<void>;
  /** Puts commands on the actions queue (the resolves of ended episodes). */
  dispatch(commands: readonly ActionCommand[]): Promise<void>;
  /** Milliseconds this run may still start work in; without it, no limit (see SweepDependencies). */
  timeLeftMs?: () => number;
  /** Where a timer's large message is read whole for its breach event (see SweepDependencies). */
  events?: Pick<EventStore, 'get'>;
}

export interface CrisisSweepReport {
  timersFired: number;
  /** The run's time budget ran out: due timers, ended episodes or expired approvals are left to the next run. */
  outOfTime: boolean;
  episodesEnded: number;
  approvalsExpired: number;
}

/**
 * The once-a-minute sweep (EventBridge schedule on AWS, LocalScheduler locally): fires due SLA
 * timers, ends quiet spike episodes (queuing their resolves and onQuiet actions), expires old approvals. Each step is
 * conditional, so overlapping sweeps do each thing once. Work is sent before it is marked done (the breach event
 * before the timer is settled, an ended episode's commands before it leaves the listing): a sweep that stops in
 * between leaves it to the next, which sends the same ids again.
 */
export async function runCrisisSweep(deps: CrisisSweepDependencies, now: Date): Promise<CrisisSweepReport> {
  const timers = await sweepSlaTimers(deps, now);
  const fired = timers.fired;
  // Out of time: the episodes and approvals wait a minute rather than risk the run being stopped halfway.
  if (deps.timeLeftMs && deps.timeLeftMs() <= 0) {
    return { timersFired: fired.length, outOfTime: true, episodesEnded: 0, approvalsExpired: 0 };
  }
  const ended = await endQuietEpisodes(deps.episodes, now);
  for (const { episode, resolves, quiet } of ended) {
    if (resolves.length + quiet.length > 0) await deps.dispatch([...resolves, ...quiet]);
    await deps.episodes.dispatched(episode.ruleId, episode.incident);
    await deps.audit.record({
      id: `spike:${episode.incident}:ended`,
      at: now.toISOString(),
      kind: 'spike',
      what: 'spike.ended',
      ruleId: episode.ruleId,
      eventId: episode.firstEvent.id,
      why: `no matching event for ${Math.round(episode.quietMs / 60_000)} min`,
      detail: {
        incident: episode.incident,
        count: episode.count,
        resolves: resolves.map((command) => command.id),
        onQuiet: quiet.map((command) => command.id),
      },
    });
  }
  const approvalsExpired = await expireApprovals(deps, now);
  return { timersFired: fired.length, outOfTime: timers.outOfTime, episodesEnded: ended.length, approvalsExpired };
}

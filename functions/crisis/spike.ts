import type { CanonicalEvent } from '../core/event.js';
import type { PlannedAction } from '../core/rule-set.js';
import { type EscalationEvent, eventSample, MAX_SAMPLES } from '../escalation/escalation.js';
import { epochMinute, MINUTE_MS } from './minutes.js';
import type { CounterStore, EpisodeStore, SpikeEpisode } from './ports.js';

/**
 * When a rule fires on volume: at least `atLeast` matching events in the sliding `windowMs`, and/or a
 * count of at least `baseline.factor` times the trailing average for the same window length (never
 * below `baseline.minCount`, so a quiet channel cannot page anyone). Both given: both must hold.
 */
export interface SpikeSpec {
  atLeast?: number;
  windowMs: number;
  baseline?: { factor: number; overMs: number; minCount: number };
  /** No matching event for this long ends the episode. */
  quietMs: number;
}

export interface SpikeDependencies {
  counters: CounterStore;
  episodes: EpisodeStore;
}

export type SpikeObservation =
  | { fire: true; episode: SpikeEpisode; count: number; windowMinutes: number; baseline?: number; samples: EscalationEvent[] }
  | { fire: false; reason: string; count?: number; incident?: string };

/** Buckets kept long enough for the window and the baseline behind it. */
function retainMs(spec: SpikeSpec): number {
  return spec.windowMs + (spec.baseline?.overMs ?? 0) + 2 * MINUTE_MS;
}

function windowMinutes(spec: SpikeSpec): number {
  return Math.max(1, Math.round(spec.windowMs / MINUTE_MS));
}

export function spikeCounterKey(ruleId: string): string {
  return `spike:${ruleId}`;
}

/** The incident name of an episode: stable for the episode, different for the next one. */
export function spikeIncident(ruleId: string, startedAt: Date): string {
  return `spike:${ruleId}:${startedAt.toISOString()}`;
}

/**
 * Counts one matching event and decides whether it opens a new episode. Counting is an atomic add;
 * opening is a conditional write, so under concurrent evaluators exactly one event opens an episode
 * and every other event of the episode only touches it.
 */
export async function observeSpike(
  ruleId: string,
  spec: SpikeSpec,
  event: CanonicalEvent,
  actions: readonly PlannedAction[],
  now: Date,
  deps: SpikeDependencies,
  onQuiet: readonly PlannedAction[] = [],
): Promise<SpikeObservation> {
  const key = spikeCounterKey(ruleId);
  await deps.counters.increment(key, now, retainMs(spec), eventSample(event));
  const current = await (deps.episodes.recent ? deps.episodes.recent(ruleId) : deps.episodes.current(ruleId));
  if (current?.status === 'open') {
    await deps.episodes.touch(ruleId, current.incident, now);
    return { fire: false, reason: 'the spike episode is already open', incident: current.incident };
  }

  const nowMinute = epochMinute(now);
  const span = windowMinutes(spec);
  // Events before the last episode closed belong to that episode, never to the next one.
  const afterClose = current?.closedAt ? epochMinute(new Date(current.closedAt)) + 1 : -Infinity;
  const windowStart = Math.max(nowMinute - span + 1, afterClose);
  const baselineMinutes = spec.baseline ? Math.max(span, Math.round(spec.baseline.overMs / MINUTE_MS)) : 0;
  const buckets = await deps.counters.buckets(key, nowMinute - span - baselineMinutes + 1, nowMinute, now);
  let count = 0;
  let trailing = 0;
  for (const [minute, value] of buckets) {
    if (minute >= windowStart) count += value;
    else if (minute <= nowMinute - span) trailing += value;
  }

  if (spec.atLeast !== undefined && count < spec.atLeast) {
    return { fire: false, reason: `${count} matching events in the window; the spike needs ${spec.atLeast}`, count };
  }
  let baseline: number | undefined;
  if (spec.baseline) {
    baseline = trailing / (baselineMinutes / span);
    if (count < spec.baseline.minCount) {
      return { fire: false, reason: `${count} matching events; a rate spike needs at least ${spec.baseline.minCount}`, count };
    }
    if (count < spec.baseline.factor * baseline) {
      return {
        fire: false,
        reason: `${count} matching events is under ${spec.baseline.factor}× the trailing average of ${baseline.toFixed(1)}`,
        count,
      };
    }
  }

  // The digest's events: the latest counted in this episode's window (the opening one among them).
  const samples = await deps.counters.samples(key, windowStart, nowMinute, now, MAX_SAMPLES);
  const episode: SpikeEpisode = {
    ruleId,
    incident: spikeIncident(ruleId, now),
    status: 'open',
    startedAt: now.toISOString(),
    lastEventAt: now.toISOString(),
    count,
    quietMs: spec.quietMs,
    firstEvent: event,
    actions: [...actions],
    samples,
    ...(onQuiet.length > 0 ? { onQuiet: [...onQuiet] } : {}),
  };
  if (!(await deps.episodes.open(episode))) {
    // Another evaluator opened it first: this event belongs to that episode.
    const winner = await deps.episodes.current(ruleId);
    if (winner?.status === 'open') await deps.episodes.touch(ruleId, winner.incident, now);
    return { fire: false, reason: 'another evaluator opened the episode first', count, ...(winner ? { incident: winner.incident } : {}) };
  }
  return { fire: true, episode, count, windowMinutes: span, samples, ...(baseline === undefined ? {} : { baseline }) };
}

import { COUNT_FIELDS, hoursBetween } from './figures.js';
import { responsePercentiles } from './percentiles.js';
import type { AnalyticsBucket, BucketCounts } from './ports.js';

export const GROUP_BY = ['platform', 'channel', 'lang', 'team', 'person'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

/**
 * The group, in `by=team` and `by=person`, of every figure no owner is known for: first responses in conversations
 * nobody owned when they were answered (or, by person, that a team owned with nobody in hours; by team, that a person
 * named directly owned), and everything counted when it happened rather than when it was answered (messages in,
 * every answer, SLA breaches).
 */
export const UNASSIGNED = '(unassigned)';

/** What a report covers: the hours from `from` to `to` (both on the hour), grouped by one dimension. */
export interface ReportRange {
  from: Date;
  to: Date;
  by: GroupBy;
}

/** A spike episode as the report shows it: when it started and, once it has, ended. */
export interface ReportedSpike {
  incident: string;
  ruleId: string;
  startedAt: string;
  endedAt: string | null;
}

/** The first responses of a group: percentiles in seconds, and the share within the target. */
export interface FirstResponseFigures {
  count: number;
  p50Seconds: number | null;
  p90Seconds: number | null;
  /** False when a bucket held more than it keeps exactly: the percentiles are within 5 % (docs/analytics.md). */
  exact: boolean;
  withinTarget: number;
  /** withinTarget / count, from 0 to 1; null with no first response. */
  shareWithinTarget: number | null;
  automated: number;
  human: number;
}

export interface GroupFigures {
  inbound: number;
  firstResponse: FirstResponseFigures;
  /** Every answer that reached a conversation, by who gave it. */
  answers: { automated: number; human: number };
  slaBreaches: number;
}

export interface ReportGroup extends GroupFigures {
  /** The group's value: a platform, `platform:channel`, a language (`und` when not known), a team or a person (UNASSIGNED: none). */
  key: string;
  platform?: string;
  channel?: string;
  lang?: string;
  /** by=team and by=person: the team or person, absent on the UNASSIGNED group. */
  team?: string;
  person?: string;
}

export interface AnalyticsReport {
  from: string;
  to: string;
  by: GroupBy;
  responseTarget: { text: string; seconds: number };
  totals: GroupFigures;
  /** Busiest first. */
  groups: ReportGroup[];
  /** Every hour of the range, oldest first; `spike` when a spike episode was open during it. */
  inboundByHour: Array<{ hour: string; inbound: number; spike: boolean }>;
  /** Spike episodes open at some time in the range, oldest first. */
  spikes: ReportedSpike[];
  /** The rules decisions listed most, at most TOP_RULES. */
  topRules: Array<{ ruleId: string; hits: number }>;
}

export const TOP_RULES = 10;
const HOUR_MS = 3_600_000;

/**
 * The figures of a range from its buckets: totals, one group per value of `by`, inbound volume by hour with the
 * hours of spike episodes marked, and the top rules. `openSpikes` are the episodes open now, which may have
 * started before anything was recorded.
 */
export function analyticsReport(
  buckets: readonly AnalyticsBucket[],
  range: ReportRange,
  target: { text: string; ms: number },
  openSpikes: readonly ReportedSpike[] = [],
): AnalyticsReport {
  const hours = hoursBetween(range.from, range.to);
  const byGroup = new Map<string, AnalyticsBucket[]>();
  const inbound = new Map<string, number>();
  const hits = new Map<string, number>();
  for (const bucket of buckets) {
    inbound.set(bucket.hour, (inbound.get(bucket.hour) ?? 0) + bucket.inbound);
    for (const [rule, n] of Object.entries(bucket.ruleHits)) hits.set(rule, (hits.get(rule) ?? 0) + n);
    if (!hasCounts(bucket)) continue;
    const key = groupKey(bucket, range.by);
    const list = byGroup.get(key) ?? [];
    list.push(bucket);
    byGroup.set(key, list);
  }
  const spikes = spikesOf(buckets, openSpikes, range);
  const groups = [...byGroup.entries()]
    .map(([key, list]) => ({ key, ...dimensionsOf(list[0]!, range.by), ...figuresOf(list) }))
    .sort((a, b) => b.inbound - a.inbound || b.firstResponse.count - a.firstResponse.count || a.key.localeCompare(b.key));
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    by: range.by,
    responseTarget: { text: target.text, seconds: target.ms / 1000 },
    totals: figuresOf(buckets),
    groups,
    inboundByHour: hours.map((hour) => ({
      hour,
      inbound: inbound.get(hour) ?? 0,
      spike: spikes.some((spike) => overlaps(spike, Date.parse(hour), Date.parse(hour) + HOUR_MS)),
    })),
    spikes,
    topRules: [...hits.entries()]
      .map(([ruleId, n]) => ({ ruleId, hits: n }))
      .sort((a, b) => b.hits - a.hits || a.ruleId.localeCompare(b.ruleId))
      .slice(0, TOP_RULES),
  };
}

function hasCounts(bucket: AnalyticsBucket): boolean {
  return COUNT_FIELDS.some((field) => bucket[field] !== 0);
}

function groupKey(bucket: AnalyticsBucket, by: GroupBy): string {
  if (by === 'channel') return `${bucket.platform}:${bucket.channel}`;
  if (by === 'team' || by === 'person') return bucket[by] || UNASSIGNED;
  return by === 'lang' ? bucket.lang : bucket.platform;
}

function dimensionsOf(bucket: AnalyticsBucket, by: GroupBy): Pick<ReportGroup, 'platform' | 'channel' | 'lang' | 'team' | 'person'> {
  if (by === 'channel') return { platform: bucket.platform, channel: bucket.channel };
  if (by === 'team' || by === 'person') return bucket[by] ? { [by]: bucket[by] } : {};
  return by === 'lang' ? { lang: bucket.lang } : { platform: bucket.platform };
}

function figuresOf(buckets: readonly AnalyticsBucket[]): GroupFigures {
  const sum = (field: keyof BucketCounts) => buckets.reduce((total, bucket) => total + bucket[field], 0);
  const percentiles = responsePercentiles(buckets);
  const withinTarget = sum('withinTarget');
  return {
    inbound: sum('inbound'),
    firstResponse: {
      count: percentiles.count,
      p50Seconds: seconds(percentiles.p50),
      p90Seconds: seconds(percentiles.p90),
      exact: percentiles.exact,
      withinTarget,
      shareWithinTarget: percentiles.count === 0 ? null : withinTarget / percentiles.count,
      automated: sum('firstAutomated'),
      human: sum('firstHuman'),
    },
    answers: { automated: sum('answersAutomated'), human: sum('answersHuman') },
    slaBreaches: sum('slaBreaches'),
  };
}

function seconds(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms) / 1000;
}

/** Episodes from their marks (and those open now), keeping the ones open at some time in the range. */
function spikesOf(buckets: readonly AnalyticsBucket[], open: readonly ReportedSpike[], range: ReportRange): ReportedSpike[] {
  const episodes = new Map<string, ReportedSpike>();
  for (const spike of open) episodes.set(spike.incident, { ...spike });
  // Starts first: an end whose start is not in the range began before it (at the range's start, as far as it shows).
  const marks = buckets
    .flatMap((bucket) => bucket.spikes)
    .sort((a, b) => (a.edge === b.edge ? a.at.localeCompare(b.at) : a.edge === 'opened' ? -1 : 1));
  for (const mark of marks) {
    const episode = episodes.get(mark.incident);
    if (mark.edge === 'opened') {
      if (!episode) episodes.set(mark.incident, { incident: mark.incident, ruleId: mark.ruleId, startedAt: mark.at, endedAt: null });
      else if (mark.at < episode.startedAt) episode.startedAt = mark.at;
      continue;
    }
    if (episode) episode.endedAt = mark.at;
    else
      episodes.set(mark.incident, { incident: mark.incident, ruleId: mark.ruleId, startedAt: range.from.toISOString(), endedAt: mark.at });
  }
  return [...episodes.values()]
    .filter((spike) => overlaps(spike, range.from.getTime(), range.to.getTime()))
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.incident.localeCompare(b.incident));
}

function overlaps(spike: ReportedSpike, from: number, to: number): boolean {
  const started = Date.parse(spike.startedAt);
  const ended = spike.endedAt === null ? Number.POSITIVE_INFINITY : Date.parse(spike.endedAt);
  return started < to && ended >= from;
}

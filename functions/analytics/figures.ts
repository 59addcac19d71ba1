import type { AnalyticsBucket, AnalyticsDelta, BucketCounts, BucketKey, ClockStart, ClockStop, OwnerNote } from './ports.js';

/**
 * The arithmetic of a bucket, shared by every store so they cannot disagree. A bucket keeps its first-response
 * times exactly up to RESPONSE_TIMES_PER_BUCKET (so p50 and p90 are exact for any team answering fewer than
 * 2,000 conversations an hour on one channel in one language), and every time in a histogram whose bins are 10 %
 * wide: once a bucket is full, percentiles that include it come from the histogram, within 5 % of the exact value.
 */

export const RESPONSE_TIMES_PER_BUCKET = 2_000;

const HOUR_MS = 3_600_000;
const BIN_RATIO = 1.1;
const LOG_RATIO = Math.log(BIN_RATIO);

export const COUNT_FIELDS = [
  'inbound',
  'answersAutomated',
  'answersHuman',
  'firstAutomated',
  'firstHuman',
  'withinTarget',
  'slaBreaches',
] as const satisfies ReadonlyArray<keyof BucketCounts>;

/** The start of the hour `ms` falls in, as an ISO time. */
export function hourOf(ms: number): string {
  return new Date(Math.floor(ms / HOUR_MS) * HOUR_MS).toISOString();
}

/** The hours from `from`'s to the one before `to`'s (`to` exclusive), as ISO times. */
export function hoursBetween(from: Date, to: Date): string[] {
  const hours: string[] = [];
  for (let ms = Math.floor(from.getTime() / HOUR_MS) * HOUR_MS; ms < to.getTime(); ms += HOUR_MS) hours.push(new Date(ms).toISOString());
  return hours;
}

/**
 * The parts that name a bucket: its hour and dimensions, then its owner's person and team (either may be empty)
 * only when it has one, so the buckets of conversations nobody owned keep the names they always had.
 */
export function bucketParts(key: BucketKey): string[] {
  const parts = [key.hour, key.platform, key.channel, key.lang];
  if (key.person !== undefined || key.team !== undefined) parts.push(key.person ?? '', key.team ?? '');
  return parts;
}

/** One string per bucket, for maps. */
export function bucketId(key: BucketKey): string {
  return bucketParts(key).map(encodeURIComponent).join('/');
}

/**
 * The histogram bin of a time: bin 0 holds everything up to 1 s, bin i ≥ 1 holds (1 s × 1.1^(i-1), 1 s × 1.1^i].
 * A bin's value (binValue) is its geometric middle, so a percentile read from the histogram is within 5 %.
 */
export function histogramBin(ms: number): number {
  if (ms <= 1_000) return 0;
  return Math.ceil(Math.log(ms / 1_000) / LOG_RATIO - 1e-9);
}

export function binValue(bin: number): number {
  return bin <= 0 ? 500 : 1_000 * BIN_RATIO ** (bin - 0.5);
}

export function emptyBucket(key: BucketKey): AnalyticsBucket {
  return {
    hour: key.hour,
    platform: key.platform,
    channel: key.channel,
    lang: key.lang,
    ...ownerOf(key),
    inbound: 0,
    answersAutomated: 0,
    answersHuman: 0,
    firstAutomated: 0,
    firstHuman: 0,
    withinTarget: 0,
    slaBreaches: 0,
    responseMs: [],
    histogram: {},
    ruleHits: {},
    spikes: [],
  };
}

/** The bucket with `delta` added (a new object; times beyond the cap go to the histogram only). */
export function addToBucket(bucket: AnalyticsBucket | undefined, delta: AnalyticsDelta): AnalyticsBucket {
  const next = bucket ? { ...bucket } : emptyBucket(delta);
  for (const field of COUNT_FIELDS) next[field] += delta[field] ?? 0;
  const times = delta.responseMs ?? [];
  if (times.length > 0) {
    const room = Math.max(0, RESPONSE_TIMES_PER_BUCKET - next.responseMs.length);
    next.responseMs = [...next.responseMs, ...times.slice(0, room)];
    next.histogram = { ...next.histogram };
    for (const ms of times) {
      const bin = String(histogramBin(ms));
      next.histogram[bin] = (next.histogram[bin] ?? 0) + 1;
    }
  }
  if (delta.ruleHits && Object.keys(delta.ruleHits).length > 0) {
    next.ruleHits = { ...next.ruleHits };
    for (const [rule, hits] of Object.entries(delta.ruleHits)) next.ruleHits[rule] = (next.ruleHits[rule] ?? 0) + hits;
  }
  if (delta.spikes && delta.spikes.length > 0) next.spikes = [...next.spikes, ...delta.spikes];
  return next;
}

/**
 * The deltas of one batch merged per bucket: a store writes each bucket once. Merged in place into one copy per
 * bucket (the inputs are never changed), so a batch costs time in proportion to its figures, not their square.
 */
export function mergeDeltas(deltas: readonly AnalyticsDelta[]): AnalyticsDelta[] {
  const merged = new Map<string, AnalyticsDelta>();
  for (const delta of deltas) {
    const id = mergeKey(delta);
    const into = merged.get(id);
    if (!into) {
      merged.set(id, {
        ...delta,
        ...(delta.responseMs ? { responseMs: [...delta.responseMs] } : {}),
        ...(delta.ruleHits ? { ruleHits: { ...delta.ruleHits } } : {}),
        ...(delta.spikes ? { spikes: [...delta.spikes] } : {}),
      });
      continue;
    }
    for (const field of COUNT_FIELDS) if (delta[field] !== undefined) into[field] = (into[field] ?? 0) + (delta[field] ?? 0);
    // `into`'s lists and rule hits are its own copies: appended to, never copied again.
    if (delta.responseMs) {
      const times = (into.responseMs ??= []);
      for (const ms of delta.responseMs) times.push(ms);
    }
    if (delta.ruleHits) {
      into.ruleHits ??= {};
      for (const rule in delta.ruleHits) into.ruleHits[rule] = (into.ruleHits[rule] ?? 0) + (delta.ruleHits[rule] ?? 0);
    }
    if (delta.spikes) {
      const spikes = (into.spikes ??= []);
      for (const spike of delta.spikes) spikes.push(spike);
    }
  }
  return [...merged.values()].filter(hasFigures);
}

/** A bucket's key in memory: its parts, each after its length (no two buckets share one; cheaper than bucketId's encoding). */
function mergeKey(key: BucketKey): string {
  const base = `${key.hour.length}:${key.hour}${key.platform.length}:${key.platform}${key.channel.length}:${key.channel}${key.lang.length}:${key.lang}`;
  if (key.person === undefined && key.team === undefined) return base;
  return `${base}${key.person?.length ?? -1}:${key.person ?? ''}${key.team?.length ?? -1}:${key.team ?? ''}`;
}

function hasFigures(delta: AnalyticsDelta): boolean {
  return (
    COUNT_FIELDS.some((field) => (delta[field] ?? 0) !== 0) ||
    (delta.responseMs?.length ?? 0) > 0 ||
    Object.keys(delta.ruleHits ?? {}).length > 0 ||
    (delta.spikes?.length ?? 0) > 0
  );
}

/** The person and team of a bucket key or an owner note, without empty members. */
export function ownerOf(key: Pick<BucketKey, 'person' | 'team'> | undefined): Pick<BucketKey, 'person' | 'team'> {
  return { ...(key?.person ? { person: key.person } : {}), ...(key?.team ? { team: key.team } : {}) };
}

/**
 * The owner a stop counts its first responses for: of the notes kept on the conversations it reaches (a message's
 * thread and, for a direct message, its DM channel), the most recent one.
 */
export function ownerAnswering(notes: ReadonlyArray<Omit<OwnerNote, 'conversation'> | undefined>): Pick<BucketKey, 'person' | 'team'> {
  let latest: Omit<OwnerNote, 'conversation'> | undefined;
  for (const note of notes) if (note && (latest === undefined || note.since > latest.since)) latest = note;
  return ownerOf(latest);
}

/**
 * The first response a stopped clock measured: from the message to the answer (never below zero), in the bucket of
 * the message's hour and dimensions and of the conversation's owner when it was answered, judged against the target
 * in force now.
 */
export function firstResponse(
  clock: ClockStart,
  stop: Pick<ClockStop, 'at' | 'by' | 'targetMs'>,
  owner: Pick<BucketKey, 'person' | 'team'> = {},
): AnalyticsDelta {
  const ms = Math.max(0, stop.at - clock.at);
  return {
    hour: hourOf(clock.at),
    platform: clock.platform,
    channel: clock.channel,
    lang: clock.lang,
    ...ownerOf(owner),
    ...(stop.by === 'automated' ? { firstAutomated: 1 } : { firstHuman: 1 }),
    withinTarget: ms <= stop.targetMs ? 1 : 0,
    responseMs: [ms],
  };
}

/** Whether a stop applies to a clock: the answer came no earlier than the message. */
export function stops(clock: Pick<ClockStart, 'at'>, stop: Pick<ClockStop, 'at'>): boolean {
  return clock.at <= stop.at;
}

import { binValue } from './figures.js';
import type { AnalyticsBucket } from './ports.js';

/** p50 and p90 of the first-response times of some buckets (any hours, any dimensions), in milliseconds. */
export interface ResponsePercentiles {
  count: number;
  p50: number | null;
  p90: number | null;
  /** False when a bucket held more times than it keeps exactly: the percentiles come from the histogram (within 5 %). */
  exact: boolean;
}

/**
 * Percentiles by nearest rank (the smallest time at least `p` of the times are at or below): over the exact times
 * when every bucket kept all of its own, otherwise over the merged histograms, which every bucket keeps in full.
 */
export function responsePercentiles(buckets: readonly AnalyticsBucket[]): ResponsePercentiles {
  const count = buckets.reduce((sum, bucket) => sum + bucket.firstAutomated + bucket.firstHuman, 0);
  if (count === 0) return { count, p50: null, p90: null, exact: true };
  const complete = buckets.every((bucket) => bucket.responseMs.length >= bucket.firstAutomated + bucket.firstHuman);
  if (complete) {
    const times = buckets.flatMap((bucket) => bucket.responseMs).sort((a, b) => a - b);
    return { count, p50: nearestRank(times, 0.5), p90: nearestRank(times, 0.9), exact: true };
  }
  const bins = new Map<number, number>();
  for (const bucket of buckets)
    for (const [bin, n] of Object.entries(bucket.histogram)) bins.set(Number(bin), (bins.get(Number(bin)) ?? 0) + n);
  const ordered = [...bins.entries()].sort((a, b) => a[0] - b[0]);
  const total = ordered.reduce((sum, [, n]) => sum + n, 0);
  return { count, p50: fromHistogram(ordered, total, 0.5), p90: fromHistogram(ordered, total, 0.9), exact: false };
}

export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? null;
}

function fromHistogram(ordered: ReadonlyArray<[number, number]>, total: number, p: number): number | null {
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const [bin, n] of ordered) {
    seen += n;
    if (seen >= rank) return Math.round(binValue(bin));
  }
  return null;
}

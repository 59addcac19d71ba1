import { describe, expect, it } from 'vitest';
import { addToBucket, binValue, emptyBucket, histogramBin, RESPONSE_TIMES_PER_BUCKET } from '../../functions/analytics/figures.js';
import { nearestRank, responsePercentiles } from '../../functions/analytics/percentiles.js';
import type { AnalyticsBucket } from '../../functions/analytics/ports.js';

const MINUTE = 60_000;
const key = (hour: string, platform = 'generic') => ({ hour, platform, channel: 'web', lang: 'en' });
const bucketWith = (hour: string, times: number[], platform = 'generic'): AnalyticsBucket =>
  addToBucket(emptyBucket(key(hour, platform)), { ...key(hour, platform), firstHuman: times.length, responseMs: times });

describe('first-response percentiles', () => {
  it('are exact by nearest rank when every bucket kept its times', () => {
    // Prepare: 10 responses of 1..10 minutes, split over two hours and two platforms.
    const times = Array.from({ length: 10 }, (_, i) => (i + 1) * MINUTE);
    const buckets = [
      bucketWith('2026-11-22T10:00:00.000Z', times.slice(0, 3)),
      bucketWith('2026-11-22T11:00:00.000Z', times.slice(3), 'x'),
    ];
    // Act
    const figures = responsePercentiles(buckets);
    // Assess
    expect(figures).toEqual({ count: 10, p50: 5 * MINUTE, p90: 9 * MINUTE, exact: true });
  });

  it('of one response are that response; of none are null', () => {
    expect(responsePercentiles([bucketWith('2026-11-22T10:00:00.000Z', [7 * MINUTE])])).toEqual({
      count: 1,
      p50: 7 * MINUTE,
      p90: 7 * MINUTE,
      exact: true,
    });
    expect(responsePercentiles([])).toEqual({ count: 0, p50: null, p90: null, exact: true });
    expect(nearestRank([], 0.5)).toBeNull();
  });

  it('fall back to the histogram, within 5 %, once a bucket is full', () => {
    // Prepare: more responses than a bucket keeps exactly, evenly from 1 s to 2,500 s.
    const times = Array.from({ length: RESPONSE_TIMES_PER_BUCKET + 500 }, (_, i) => (i + 1) * 1_000);
    const bucket = bucketWith('2026-11-22T10:00:00.000Z', times);
    // Act
    const figures = responsePercentiles([bucket, bucketWith('2026-11-22T11:00:00.000Z', [])]);
    // Assess
    expect(bucket.responseMs).toHaveLength(RESPONSE_TIMES_PER_BUCKET);
    expect(figures.exact).toBe(false);
    expect(figures.count).toBe(times.length);
    expect(Math.abs(figures.p50! - 1_250_000) / 1_250_000).toBeLessThan(0.05);
    expect(Math.abs(figures.p90! - 2_250_000) / 2_250_000).toBeLessThan(0.05);
  });

  it('histogram bins are 10 % wide and each bin value lies inside its bin', () => {
    for (const ms of [0, 999, 1_000, 1_001, 59_999, 420_000, 3_600_000, 30 * 24 * 3_600_000]) {
      const bin = histogramBin(ms);
      const value = binValue(bin);
      if (bin === 0) expect(ms).toBeLessThanOrEqual(1_000);
      else expect(Math.abs(value - ms) / ms).toBeLessThan(0.05 + 1e-9);
    }
    expect(histogramBin(1_100)).toBe(1);
    expect(histogramBin(1_101)).toBe(2);
  });
});

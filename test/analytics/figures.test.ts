import { describe, expect, it } from 'vitest';
import { mergeDeltas } from '../../functions/analytics/figures.js';
import type { AnalyticsDelta } from '../../functions/analytics/ports.js';

describe('mergeDeltas', () => {
  const key = { hour: '2026-12-02T03:00:00.000Z', platform: 'generic', channel: 'web', lang: 'fa' };

  it('adds the deltas of one bucket into one, in order, and leaves its inputs as they were', () => {
    const deltas: AnalyticsDelta[] = [
      { ...key, inbound: 1, ruleHits: { hours: 1 } },
      {
        ...key,
        answersAutomated: 1,
        firstAutomated: 1,
        responseMs: [40],
        spikes: [{ incident: 'i1', ruleId: 'v', at: key.hour, edge: 'opened' }],
      },
      { ...key, inbound: 2, ruleHits: { hours: 1, vip: 1 }, responseMs: [70, 90] },
    ];
    const before = structuredClone(deltas);
    expect(mergeDeltas(deltas)).toEqual([
      {
        ...key,
        inbound: 3,
        answersAutomated: 1,
        firstAutomated: 1,
        ruleHits: { hours: 2, vip: 1 },
        responseMs: [40, 70, 90],
        spikes: [{ incident: 'i1', ruleId: 'v', at: key.hour, edge: 'opened' }],
      },
    ]);
    expect(deltas).toEqual(before);
  });

  it('keeps buckets apart whose parts would read the same run together, and drops one left with no figures', () => {
    const merged = mergeDeltas([
      { ...key, channel: 'a:b', lang: 'c', inbound: 1 },
      { ...key, channel: 'a', lang: 'b:c', inbound: 1 },
      { ...key, channel: 'empty', inbound: 0 },
    ]);
    expect(merged.map((delta) => [delta.channel, delta.lang, delta.inbound])).toEqual([
      ['a:b', 'c', 1],
      ['a', 'b:c', 1],
    ]);
  });
});

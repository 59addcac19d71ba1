import { describe, expect, it } from 'vitest';
import { analyticsRange } from '../../functions/analytics/analytics-query.js';
import { addToBucket } from '../../functions/analytics/figures.js';
import type { AnalyticsBucket, AnalyticsDelta } from '../../functions/analytics/ports.js';
import { analyticsReport, UNASSIGNED } from '../../functions/analytics/report.js';
import { BadQueryError } from '../../functions/core/api-query.js';

const H10 = '2026-11-22T10:00:00.000Z';
const H11 = '2026-11-22T11:00:00.000Z';
const H12 = '2026-11-22T12:00:00.000Z';
const MINUTE = 60_000;
const target = { text: '10m', ms: 10 * MINUTE };

function buckets(...deltas: AnalyticsDelta[]): AnalyticsBucket[] {
  const byKey = new Map<string, AnalyticsBucket>();
  for (const delta of deltas) {
    const id = JSON.stringify([delta.hour, delta.platform, delta.channel, delta.lang, delta.person, delta.team]);
    byKey.set(id, addToBucket(byKey.get(id), delta));
  }
  return [...byKey.values()];
}

const seen = buckets(
  {
    hour: H10,
    platform: 'x',
    channel: 'mentions',
    lang: 'en',
    inbound: 3,
    firstHuman: 2,
    withinTarget: 1,
    responseMs: [5 * MINUTE, 20 * MINUTE],
  },
  { hour: H10, platform: 'telegram', channel: 'support', lang: 'fa', inbound: 1, firstAutomated: 1, withinTarget: 1, responseMs: [2_000] },
  {
    hour: H11,
    platform: 'x',
    channel: 'dms',
    lang: 'en',
    inbound: 2,
    slaBreaches: 1,
    answersAutomated: 4,
    ruleHits: { faq: 3, outage: 5 },
  },
  {
    hour: H11,
    platform: 'x',
    channel: 'dms',
    lang: 'en',
    spikes: [{ incident: 'spike:outage:1', ruleId: 'outage', at: '2026-11-22T11:20:00.000Z', edge: 'opened' }],
  },
);

describe('the analytics report', () => {
  it('groups by platform, channel or language, busiest first, with totals over all', () => {
    const range = { from: new Date(H10), to: new Date(H12) };
    const byPlatform = analyticsReport(seen, { ...range, by: 'platform' }, target);
    expect(byPlatform.groups.map((group) => [group.key, group.inbound, group.firstResponse.p50Seconds])).toEqual([
      ['x', 5, 300],
      ['telegram', 1, 2],
    ]);
    expect(byPlatform.totals).toMatchObject({ inbound: 6, slaBreaches: 1, answers: { automated: 4, human: 0 } });
    expect(byPlatform.totals.firstResponse).toMatchObject({ count: 3, p50Seconds: 300, p90Seconds: 1200, withinTarget: 2, exact: true });
    expect(byPlatform.totals.firstResponse.shareWithinTarget).toBeCloseTo(2 / 3);
    const byChannel = analyticsReport(seen, { ...range, by: 'channel' }, target);
    expect(byChannel.groups.map((group) => [group.key, group.platform, group.channel])).toEqual([
      ['x:mentions', 'x', 'mentions'],
      ['x:dms', 'x', 'dms'],
      ['telegram:support', 'telegram', 'support'],
    ]);
    const byLang = analyticsReport(seen, { ...range, by: 'lang' }, target);
    expect(byLang.groups.map((group) => [group.key, group.inbound])).toEqual([
      ['en', 5],
      ['fa', 1],
    ]);
  });

  it('lists inbound for every hour of the range with spike hours marked, the episodes and the top rules', () => {
    const report = analyticsReport(seen, { from: new Date('2026-11-22T09:00:00.000Z'), to: new Date(H12), by: 'platform' }, target, [
      { incident: 'spike:refunds:0', ruleId: 'refunds', startedAt: '2026-11-20T08:00:00.000Z', endedAt: null },
    ]);
    expect(report.inboundByHour).toEqual([
      { hour: '2026-11-22T09:00:00.000Z', inbound: 0, spike: true },
      { hour: H10, inbound: 4, spike: true },
      { hour: H11, inbound: 2, spike: true },
    ]);
    expect(report.spikes.map((spike) => spike.incident)).toEqual(['spike:refunds:0', 'spike:outage:1']);
    expect(report.topRules).toEqual([
      { ruleId: 'outage', hits: 5 },
      { ruleId: 'faq', hits: 3 },
    ]);
    const quiet = analyticsReport(seen, { from: new Date(H10), to: new Date(H12), by: 'platform' }, target);
    expect(quiet.inboundByHour.map((hour) => hour.spike)).toEqual([false, true]);
  });

  it('ends an episode in the hour of its end mark', () => {
    const marked = buckets(
      {
        hour: H10,
        platform: 'x',
        channel: 'c',
        lang: 'en',
        spikes: [{ incident: 'i', ruleId: 'r', at: '2026-11-22T10:10:00.000Z', edge: 'opened' }],
      },
      {
        hour: H11,
        platform: 'x',
        channel: 'c',
        lang: 'en',
        spikes: [{ incident: 'i', ruleId: 'r', at: '2026-11-22T11:05:00.000Z', edge: 'ended' }],
      },
    );
    const report = analyticsReport(
      marked,
      { from: new Date('2026-11-22T09:00:00.000Z'), to: new Date('2026-11-22T13:00:00.000Z'), by: 'lang' },
      target,
    );
    expect(report.inboundByHour.map((hour) => hour.spike)).toEqual([false, true, true, false]);
    expect(report.spikes).toEqual([
      { incident: 'i', ruleId: 'r', startedAt: '2026-11-22T10:10:00.000Z', endedAt: '2026-11-22T11:05:00.000Z' },
    ]);
  });
});

describe('the analytics query', () => {
  const now = new Date('2026-11-22T10:30:00.000Z');
  const range = (query: string) => analyticsRange(new URLSearchParams(query), now);
  const refused = (query: string) => {
    try {
      range(query);
    } catch (error) {
      if (error instanceof BadQueryError) return { parameter: error.parameter, message: error.message };
      throw error;
    }
    throw new Error(`'${query}' was accepted`);
  };

  it('is the last 24 hours to the end of the current hour, by platform, by default', () => {
    expect(range('')).toEqual({ from: new Date('2026-11-21T11:00:00.000Z'), to: new Date('2026-11-22T11:00:00.000Z'), by: 'platform' });
    expect(range('from=7d&by=lang')).toMatchObject({ from: new Date('2026-11-15T11:00:00.000Z'), by: 'lang' });
    expect(range('from=2026-11-01T10:20:00Z&to=2026-11-02T00:00:00Z&by=channel')).toEqual({
      from: new Date('2026-11-01T10:00:00.000Z'),
      to: new Date('2026-11-02T00:00:00.000Z'),
      by: 'channel',
    });
  });

  it('names the parameter it refuses', () => {
    expect(refused('from=yesterday')).toMatchObject({ parameter: 'from' });
    expect(refused('to=later')).toMatchObject({ parameter: 'to' });
    expect(refused('by=author')).toEqual({
      parameter: 'by',
      message: "by must be one of platform, channel, lang, team, person, got 'author'",
    });
    expect(refused('from=2026-11-23T00:00:00Z')).toMatchObject({ parameter: 'from', message: expect.stringContaining('earlier than to') });
    expect(refused('from=100d')).toMatchObject({ parameter: 'from', message: expect.stringContaining('at most 92 days') });
  });

  it('groups first responses by the team or the person owning the conversation when it was answered; the rest is (unassigned)', () => {
    // Prepare: sara (persian-desk) answered two, reza named directly (no team) one, the VK desk with nobody in hours one.
    const owned = buckets(
      { hour: H10, platform: 'telegram', channel: 'support', lang: 'fa', inbound: 6, answersHuman: 3, slaBreaches: 1 },
      { hour: H10, platform: 'telegram', channel: 'support', lang: 'fa', firstAutomated: 1, withinTarget: 1, responseMs: [30_000] },
      {
        hour: H10,
        platform: 'telegram',
        channel: 'support',
        lang: 'fa',
        person: 'sara',
        team: 'persian-desk',
        firstHuman: 1,
        withinTarget: 1,
        responseMs: [4 * MINUTE],
      },
      {
        hour: H11,
        platform: 'x',
        channel: 'mentions',
        lang: 'fa',
        person: 'sara',
        team: 'persian-desk',
        firstHuman: 1,
        responseMs: [12 * MINUTE],
      },
      { hour: H11, platform: 'x', channel: 'mentions', lang: 'en', person: 'reza', firstHuman: 1, withinTarget: 1, responseMs: [MINUTE] },
      { hour: H11, platform: 'vk', channel: 'wall', lang: 'ru', team: 'vk-desk', firstHuman: 1, responseMs: [20 * MINUTE] },
    );
    const range = { from: new Date(H10), to: new Date(H12) };
    const row = (group: ReturnType<typeof analyticsReport>['groups'][number]) => ({
      key: group.key,
      person: group.person ?? null,
      team: group.team ?? null,
      first: group.firstResponse.count,
      p50: group.firstResponse.p50Seconds,
      within: group.firstResponse.withinTarget,
      inbound: group.inbound,
    });
    // Act
    const byPerson = analyticsReport(owned, { ...range, by: 'person' }, target);
    const byTeam = analyticsReport(owned, { ...range, by: 'team' }, target);
    // Assess
    expect(byPerson.by).toBe('person');
    expect(byPerson.groups.map(row)).toEqual([
      { key: UNASSIGNED, person: null, team: null, first: 2, p50: 30, within: 1, inbound: 6 },
      { key: 'sara', person: 'sara', team: null, first: 2, p50: 240, within: 1, inbound: 0 },
      { key: 'reza', person: 'reza', team: null, first: 1, p50: 60, within: 1, inbound: 0 },
    ]);
    expect(byTeam.groups.map(row)).toEqual([
      { key: UNASSIGNED, person: null, team: null, first: 2, p50: 30, within: 2, inbound: 6 },
      { key: 'persian-desk', person: null, team: 'persian-desk', first: 2, p50: 240, within: 1, inbound: 0 },
      { key: 'vk-desk', person: null, team: 'vk-desk', first: 1, p50: 1200, within: 0, inbound: 0 },
    ]);
    // The totals are the same however the groups are formed.
    expect(byPerson.totals).toEqual(analyticsReport(owned, { ...range, by: 'platform' }, target).totals);
    expect(byTeam.totals.firstResponse.count).toBe(5);
  });

  it('takes by=team and by=person, and names every grouping when refusing another', () => {
    const now = new Date(H12);
    expect(analyticsRange(new URLSearchParams('by=team'), now).by).toBe('team');
    expect(analyticsRange(new URLSearchParams('by=person'), now).by).toBe('person');
    expect(() => analyticsRange(new URLSearchParams('by=owner'), now)).toThrow(/one of platform, channel, lang, team, person/);
  });
});

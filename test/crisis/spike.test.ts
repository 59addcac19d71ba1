import { describe, expect, it } from 'vitest';
import type { PlannedAction } from '../../functions/core/rule-set.js';
import { endQuietEpisodes } from '../../functions/crisis/episode-end.js';
import { memoryCounterStore, memoryEpisodeStore } from '../../functions/crisis/memory/index.js';
import { observeSpike, type SpikeSpec } from '../../functions/crisis/spike.js';
import { makeEvent } from '../support/events.js';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const escalate: PlannedAction = {
  type: 'escalate',
  ruleId: 'outage',
  index: 0,
  params: { target: 'oncall', severity: 'high', summary: 'Outage reports' },
};
const thirtyInTen: SpikeSpec = { atLeast: 30, windowMs: 600_000, quietMs: 900_000 };

function stores() {
  return { counters: memoryCounterStore(), episodes: memoryEpisodeStore() };
}

describe('observeSpike', () => {
  it('fires once when the 30th matching event arrives inside 10 minutes, and not for the rest of the episode', async () => {
    const deps = stores();
    const fired: number[] = [];
    for (let i = 0; i < 60; i++) {
      const seen = await observeSpike('outage', thirtyInTen, makeEvent({ id: `generic:${i}` }), [escalate], at(i * 15), deps);
      if (seen.fire) fired.push(i);
    }
    expect(fired).toEqual([29]);
  });

  it('does not fire for 30 events spread over more than the window', async () => {
    const deps = stores();
    let fires = 0;
    for (let i = 0; i < 30; i++) {
      if ((await observeSpike('outage', thirtyInTen, makeEvent(), [escalate], at(i * 60), deps)).fire) fires++;
    }
    expect(fires).toBe(0);
  });

  it('opens exactly one episode when many evaluators count at once', async () => {
    const deps = stores();
    const results = await Promise.all(
      Array.from({ length: 80 }, (_, i) => observeSpike('outage', thirtyInTen, makeEvent({ id: `generic:${i}` }), [escalate], at(1), deps)),
    );
    expect(results.filter((result) => result.fire)).toHaveLength(1);
  });

  it('ends the episode after the quiet period with one resolve per escalation, and a new spike opens a new incident', async () => {
    const deps = stores();
    let incident = '';
    for (let i = 0; i < 30; i++) {
      const seen = await observeSpike('outage', thirtyInTen, makeEvent({ id: `generic:${i}` }), [escalate], at(i), deps);
      if (seen.fire) incident = seen.episode.incident;
    }
    expect(await endQuietEpisodes(deps.episodes, at(29 + 899))).toEqual([]);
    const ended = await endQuietEpisodes(deps.episodes, at(29 + 900));
    expect(ended).toHaveLength(1);
    expect(ended[0]!.resolves).toEqual([
      expect.objectContaining({ type: 'escalate', params: expect.objectContaining({ resolve: true, incident, target: 'oncall' }) }),
    ]);
    await deps.episodes.dispatched('outage', incident);
    expect(await endQuietEpisodes(deps.episodes, at(29 + 960))).toEqual([]);

    let next = '';
    for (let i = 0; i < 30; i++) {
      const seen = await observeSpike('outage', thirtyInTen, makeEvent({ id: `generic:b${i}` }), [escalate], at(2000 + i), deps);
      if (seen.fire) next = seen.episode.incident;
    }
    expect(next).not.toBe('');
    expect(next).not.toBe(incident);
  });

  it('an event during the quiet period keeps the episode open', async () => {
    const deps = stores();
    for (let i = 0; i < 30; i++) await observeSpike('outage', thirtyInTen, makeEvent(), [escalate], at(i), deps);
    await observeSpike('outage', thirtyInTen, makeEvent(), [escalate], at(600), deps);
    expect(await endQuietEpisodes(deps.episodes, at(29 + 900))).toEqual([]);
    expect(await endQuietEpisodes(deps.episodes, at(600 + 900))).toHaveLength(1);
  });

  it('a rate spike needs factor × the trailing baseline and the minimum count', async () => {
    const spec: SpikeSpec = { windowMs: 600_000, quietMs: 600_000, baseline: { factor: 3, overMs: 3_600_000, minCount: 10 } };
    const deps = stores();
    // An hour of steady traffic: 6 per 10 minutes.
    for (let i = 0; i < 36; i++)
      expect((await observeSpike('busy', spec, makeEvent(), [], at(Math.floor(i / 6) * 600 + 30), deps)).fire).toBe(false);
    // Then 17 in the next window: under 3 × 6 = 18.
    const burst = at(3_600 + 30);
    for (let i = 0; i < 17; i++) expect((await observeSpike('busy', spec, makeEvent(), [], burst, deps)).fire).toBe(false);
    expect((await observeSpike('busy', spec, makeEvent(), [], burst, deps)).fire).toBe(true);
  });

  it('a quiet channel never reaches a rate spike below the minimum count', async () => {
    const spec: SpikeSpec = { windowMs: 600_000, quietMs: 600_000, baseline: { factor: 3, overMs: 3_600_000, minCount: 10 } };
    const deps = stores();
    const seen = [];
    for (let i = 0; i < 9; i++) seen.push((await observeSpike('quiet', spec, makeEvent(), [], at(i), deps)).fire);
    expect(seen.every((fire) => !fire)).toBe(true);
    expect((await observeSpike('quiet', spec, makeEvent(), [], at(10), deps)).fire).toBe(true);
  });
});

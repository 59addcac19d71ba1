import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryCounterStore, memoryEpisodeStore } from '../../functions/crisis/memory/index.js';
import { observeSpike } from '../../functions/crisis/spike.js';
import { makeEvent } from '../support/events.js';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');

/** The same question answered the slow, obvious way: the first event whose window holds `atLeast` events. */
function firstFiring(offsetsMs: readonly number[], atLeast: number, windowMinutes: number): number | undefined {
  for (let i = 0; i < offsetsMs.length; i++) {
    const minute = Math.floor((T0 + offsetsMs[i]!) / 60_000);
    const inWindow = offsetsMs.slice(0, i + 1).filter((offset) => Math.floor((T0 + offset) / 60_000) > minute - windowMinutes).length;
    if (inWindow >= atLeast) return i;
  }
  return undefined;
}

describe('observeSpike agrees with a naive sliding window', () => {
  it('fires exactly once, on the first event whose minute window reaches the threshold', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3 * 3_600_000 }), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 1, max: 30 }),
        async (raw, atLeast, windowMinutes) => {
          const offsets = [...raw].sort((a, b) => a - b);
          const deps = { counters: memoryCounterStore(), episodes: memoryEpisodeStore() };
          const spec = { atLeast, windowMs: windowMinutes * 60_000, quietMs: 10 * 3_600_000 };
          const fired: number[] = [];
          for (const [index, offset] of offsets.entries()) {
            if ((await observeSpike('r', spec, makeEvent(), [], new Date(T0 + offset), deps)).fire) fired.push(index);
          }
          const expected = firstFiring(offsets, atLeast, windowMinutes);
          expect(fired).toEqual(expected === undefined ? [] : [expected]);
        },
      ),
      { numRuns: 150 },
    );
  });
});

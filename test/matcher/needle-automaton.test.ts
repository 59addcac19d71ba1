import { describe, expect, it } from 'vitest';
import { NeedleAutomaton } from '../../functions/matcher/needle-automaton.js';

/** Marks every position as a possible token start and end, except where told otherwise. */
function everywhere(length: number): Uint8Array {
  return new Uint8Array(length).fill(1);
}

function found(automaton: NeedleAutomaton, text: string, starts = everywhere(text.length), ends = everywhere(text.length)): number[] {
  const ids: number[] = [];
  automaton.scan(text, starts, ends, ids);
  return ids.sort((a, b) => a - b);
}

describe('NeedleAutomaton', () => {
  it('finds every needle in one pass, including overlapping ones and ones inside others', () => {
    const automaton = new NeedleAutomaton();
    const ids = ['abc', 'bcd', 'c', 'ساعتکاری'].map((needle) => automaton.add(needle));
    automaton.build();

    expect(found(automaton, 'xabcd')).toEqual([ids[0], ids[1], ids[2]].sort((a, b) => (a as number) - (b as number)));
    expect(found(automaton, 'ساعتساعتکاریشما')).toEqual([ids[3]]);
  });

  it('reports a needle only from a possible token start to a possible token end', () => {
    const automaton = new NeedleAutomaton();
    const car = automaton.add('car');
    automaton.build();
    // "scar": a token may start at 0 only, end at 3 only.
    const starts = Uint8Array.of(1, 0, 0, 0);
    const ends = Uint8Array.of(0, 0, 0, 1);

    expect(found(automaton, 'scar', starts, ends)).toEqual([]);
    expect(found(automaton, 'scar', Uint8Array.of(1, 1, 0, 0), ends)).toEqual([car]);
    expect(found(automaton, 'cars', Uint8Array.of(1, 0, 0, 0), Uint8Array.of(0, 0, 0, 1))).toEqual([]);
  });

  it('gives the same id to the same needle and refuses an empty one', () => {
    const automaton = new NeedleAutomaton();
    expect(automaton.add('refund')).toBe(automaton.add('refund'));
    expect(() => automaton.add('')).toThrow(/at least one character/);
  });
});

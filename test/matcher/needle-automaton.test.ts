import { describe, expect, it } from 'vitest';
import { NeedleAutomaton } from '../../functions/matcher/needle-automaton.js';
import { END, type FoldedText, START } from '../../functions/matcher/text-fold.js';

/** A fold of `text` where tokens may start at `starts` and end at `ends` (every position by default). */
function folded(text: string, starts?: number[], ends?: number[]): FoldedText {
  const flags = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    flags[i] = ((starts?.includes(i) ?? true) ? START : 0) | ((ends?.includes(i) ?? true) ? END : 0);
  }
  return { units: Uint16Array.from(text, (char) => char.charCodeAt(0)), length: text.length, flags, exact: false, chunked: false };
}

function found(automaton: NeedleAutomaton, text: FoldedText): number[] {
  const ids: number[] = [];
  automaton.scan(text, ids);
  return ids.sort((a, b) => a - b);
}

describe('NeedleAutomaton', () => {
  it('finds every needle in one pass, including overlapping ones and ones inside others', () => {
    const automaton = new NeedleAutomaton();
    const ids = ['abc', 'bcd', 'c', 'ساعتکاری'].map((needle) => automaton.add(needle));
    automaton.build();

    expect(found(automaton, folded('xabcd'))).toEqual([ids[0], ids[1], ids[2]].sort((a, b) => (a as number) - (b as number)));
    expect(found(automaton, folded('ساعتساعتکاریشما'))).toEqual([ids[3]]);
  });

  it('reports a needle only from a possible token start to a possible token end', () => {
    const automaton = new NeedleAutomaton();
    const car = automaton.add('car');
    automaton.build();
    // "scar" as one word: a token may start at 0 only and end at 3 only.
    expect(found(automaton, folded('scar', [0], [3]))).toEqual([]);
    expect(found(automaton, folded('scar', [0, 1], [3]))).toEqual([car]);
    expect(found(automaton, folded('cars', [0], [3]))).toEqual([]);
  });

  it('gives the same id to the same needle and refuses an empty one', () => {
    const automaton = new NeedleAutomaton();
    expect(automaton.add('refund')).toBe(automaton.add('refund'));
    expect(() => automaton.add('')).toThrow(/at least one character/);
  });
});

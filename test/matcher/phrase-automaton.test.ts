import { describe, expect, it } from 'vitest';
import { PhraseAutomaton } from '../../functions/matcher/phrase-automaton.js';

function found(automaton: PhraseAutomaton, tokens: string[]): number[] {
  const ids: number[] = [];
  automaton.scan(tokens, ids);
  return ids;
}

describe('PhraseAutomaton', () => {
  it('finds every phrase in one pass, including overlapping ones and ones inside others', () => {
    const automaton = new PhraseAutomaton();
    const abc = automaton.add(['a', 'b', 'c']);
    const bcd = automaton.add(['b', 'c', 'd']);
    const c = automaton.add(['c']);
    const opening = automaton.add(['ساعت', 'کاری']);
    automaton.build();

    expect(found(automaton, ['x', 'a', 'b', 'c', 'd']).sort()).toEqual([abc, bcd, c].sort());
    expect(found(automaton, ['ساعت', 'ساعت', 'کاری', 'شما'])).toEqual([opening]);
  });

  it('stays silent for prefixes and for phrases broken by another token', () => {
    const automaton = new PhraseAutomaton();
    automaton.add(['opening', 'hours']);
    automaton.build();

    expect(found(automaton, ['opening'])).toEqual([]);
    expect(found(automaton, ['opening', 'our', 'hours'])).toEqual([]);
    expect(found(automaton, [])).toEqual([]);
  });

  it('gives the same id to the same phrase and refuses an empty one', () => {
    const automaton = new PhraseAutomaton();
    expect(automaton.add(['refund'])).toBe(automaton.add(['refund']));
    expect(() => automaton.add([])).toThrow(/at least one token/);
  });
});

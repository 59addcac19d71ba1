import { describe, expect, it } from 'vitest';
import { NeedleAutomaton } from '../../functions/matcher/needle-automaton.js';
import { PhraseHits } from '../../functions/matcher/phrase-hits.js';
import { ABSENT, findPhrase, MAYBE, PRESENT, textFold } from '../../functions/matcher/text-fold.js';
import { matchOptions, phraseTokens } from '../../functions/text/index.js';

const options = matchOptions();
const fold = textFold(options);
const PHRASES = ['refund', 'my refund', 'التوصيل', 'order', 'سعر', 'שנת', 'کتاب'];

function hitsFor(phrases: readonly string[]): { hits: PhraseHits; automaton: NeedleAutomaton } {
  const automaton = new NeedleAutomaton();
  for (const phrase of phrases) automaton.add(fold.phrase(phraseTokens(phrase, options).join(' ')));
  automaton.build();
  return { hits: new PhraseHits(automaton, automaton.nodes), automaton };
}

function scan(automaton: NeedleAutomaton, hits: PhraseHits, text: string) {
  const folded = fold.text(text);
  const found: number[] = [];
  const ends: number[] = [];
  automaton.scan(folded, found, ends);
  hits.record(folded, found, ends);
  return folded;
}

describe('PhraseHits: a phrase answered from where the scan found it', () => {
  it("gives findPhrase's verdict for every phrase, in texts with several occurrences, prefixes and inexact chunks", () => {
    const { hits, automaton } = hitsFor(PHRASES);
    const texts = [
      'my refund please, refund now',
      'refund 😀 my refund',
      '#my_refund refund',
      'والتوصيل التوصيل',
      'بالتوصيل 😀',
      'بשנת שנת',
      '@order_desk order',
      'کتاب ها',
      'nothing here',
      'refunded orders',
    ];
    const seen = new Set<number>();
    for (const text of texts) {
      const folded = scan(automaton, hits, text);
      for (const phrase of PHRASES) {
        const tokens = phraseTokens(phrase, options);
        const folding = fold.foldedPhrase(tokens, tokens);
        const id = hits.needleOf(folding.units);
        expect(id, phrase).toBeGreaterThanOrEqual(0);
        const verdict = hits.verdict(id, folding.starts ?? []);
        expect(verdict, `${text} / ${phrase}`).toBe(findPhrase(folded, folding));
        seen.add(verdict);
      }
    }
    expect([...seen].sort()).toEqual([ABSENT, PRESENT, MAYBE].sort());
  });

  it('knows only the needles it was built with, and answers for the fold it last recorded', () => {
    const { hits, automaton } = hitsFor(['refund']);
    expect(hits.needleOf('refund')).toBeGreaterThanOrEqual(0);
    expect(hits.needleOf('refun')).toBe(-1);
    expect(hits.needleOf('refunds')).toBe(-1);
    const id = hits.needleOf('refund');
    const first = scan(automaton, hits, 'refund');
    expect(hits.folded).toBe(first);
    expect(hits.verdict(id, [])).toBe(PRESENT);
    scan(automaton, hits, 'no thanks');
    expect(hits.folded).not.toBe(first);
    expect(hits.verdict(id, [])).toBe(ABSENT);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  caseFires,
  matchRatesTable,
  measureMatchRates,
  parseMatchCases,
  peerSampleCases,
  ratesByLanguage,
} from '../../functions/text/match-rates.js';

const TINY = 'test/text/fixtures/match-rates-tiny.json';
const tiny = () => parseMatchCases(JSON.parse(readFileSync(TINY, 'utf8')), TINY);

describe('match rates', () => {
  it('counts, per language and category, the cases the fold alone and the layer answer right', () => {
    // Prepare / Act
    const rates = measureMatchRates(tiny());
    // Assess: the informal spelling and the prefixed word need the layer; "ولعب" is the layer's own false match.
    expect(rates).toEqual([
      { lang: 'en', category: 'plain', cases: 2, foldAlone: 2, layer: 2 },
      { lang: 'fa', category: 'informal', cases: 1, foldAlone: 0, layer: 1 },
      { lang: 'ar', category: 'prefix', cases: 2, foldAlone: 1, layer: 1 },
    ]);
    expect(ratesByLanguage(rates).map((row) => [row.lang, row.cases, row.foldAlone, row.layer])).toEqual([
      ['en', 2, 2, 2],
      ['fa', 1, 0, 1],
      ['ar', 2, 1, 1],
    ]);
    expect(matchRatesTable(rates).split('\n')).toContain('| **all** | | 5 | 60.0% | 80.0% |');
  });

  it("reads a case's match: settings (Turkish casing only with accents kept and the rule's lang)", () => {
    const peer = { phrase: 'ışık', post: 'IŞIK', match: { accents: 'match' as const, lang: 'tr' } };
    expect(caseFires(peer, true)).toBe(true);
    expect(caseFires(peer, false)).toBe(false);
    expect(caseFires({ ...peer, match: { accents: 'match' } }, true)).toBe(false);
  });

  it('names the case and field at fault', () => {
    expect(() => parseMatchCases({ cases: [{ lang: 'fa', category: 'x', phrase: 'a', post: 'b' }] }, 'f.json')).toThrow(
      'f.json: cases[0].fires must be true or false',
    );
    expect(() => parseMatchCases({ items: [] }, 'f.json')).toThrow('f.json: expected { "cases": [ … ] }');
  });

  it("reads the shared peer sample's rows that name a phrase, a language and a category", () => {
    const jsonl = [
      JSON.stringify({ event: 'e1', fires: ['r1'], notFires: [], text: 't1', phrase: 'p1', lang: 'fa', category: 'c' }),
      JSON.stringify({ event: 'e2', fires: [], notFires: ['r2'], text: 't2', phrase: 'p2', lang: 'ar', category: 'd', source: 's' }),
      JSON.stringify({ event: 'e3', fires: ['r3'], notFires: [], text: 't3' }),
    ].join('\n');
    expect(peerSampleCases(jsonl)).toEqual([
      { lang: 'fa', category: 'c', phrase: 'p1', post: 't1', fires: true },
      { lang: 'ar', category: 'd', phrase: 'p2', post: 't2', fires: false, source: 's' },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { createTextLanguageDetector } from '../../../functions/rules/lang/detect.js';
import { ngramLanguages, ngramProbabilities } from '../../../functions/rules/lang/ngrams.js';

/** The language `ngramProbabilities` ranks first, with the real extracted models. */
function likeliest(text: string, script: string, among?: ReadonlySet<string>): string | undefined {
  return [...ngramProbabilities(text, script, among)].sort((a, b) => b[1] - a[1])[0]?.[0];
}

describe("Lingua's n-gram models scoring short text", () => {
  it('has models for the Arabic script, Cyrillic and Latin languages detection scores', () => {
    expect(ngramLanguages('arabic').sort()).toEqual(['ar', 'fa', 'ur']);
    expect(ngramLanguages('cyrillic')).toEqual(expect.arrayContaining(['kk', 'ru', 'uk']));
    expect(ngramLanguages('latin')).toEqual(expect.arrayContaining(['az', 'en', 'sw', 'tr']));
  });

  it('tells Urdu words from Persian ones though every letter of them is shared', () => {
    // Assess: no Urdu-only letter (ٹ ڈ ڑ ں ھ ہ ے) in these, yet their letter sequences are Urdu's.
    expect(likeliest('پاکستان', 'arabic')).toBe('ur');
    expect(likeliest('خوبصورت', 'arabic')).toBe('ur');
    expect(likeliest('صوبائی', 'arabic')).toBe('ur');
  });

  it('names Swahili and Turkish words among every Latin-script language with a model', () => {
    expect(likeliest('wanafunzi', 'latin')).toBe('sw');
    expect(likeliest('ninakupenda', 'latin')).toBe('sw');
    expect(likeliest('evdeyim', 'latin')).toBe('tr');
  });

  it('gives probabilities that sum to 1 over the languages asked for, and none for text without letters', () => {
    const among = new Set(['tr', 'az']);
    const probabilities = ngramProbabilities('güzel', 'latin', among);
    expect([...probabilities.keys()].sort()).toEqual(['az', 'tr']);
    expect([...probabilities.values()].reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 9);
    expect(ngramProbabilities('12 345 !!', 'latin').size).toBe(0);
  });
});

describe('the detector with the n-gram stage', () => {
  const detect = createTextLanguageDetector();

  it('reads an Urdu word that the letters leave tied with Persian as Urdu, undecided, by the n-grams', async () => {
    // Before the stage the letters' tie went to Persian.
    expect(await detect('پاکستان')).toEqual({ lang: 'ur', script: 'arabic', decisive: false, stage: 'ngrams' });
  });

  it('keeps what the letters decide: a word with Urdu letters needs no n-gram', async () => {
    expect(await detect('ہے')).toEqual({ lang: 'ur', script: 'arabic', decisive: true, stage: 'letters' });
  });

  it('reads a short Swahili word the lexicon and fastText alone get wrong as Swahili', async () => {
    // makampuni (companies): the lexicon's trigrams and fastText lean elsewhere; wanafunzi (students), here before, the
    // lexicon's larger Swahili list now gets alone.
    expect(await detect('makampuni')).toEqual({ lang: 'sw', script: 'latin', decisive: false, stage: 'ngrams' });
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { lexiconLanguages, lexiconScores, loadLexicon } from '../../../functions/rules/lang/lexicon.js';
import { normaliseWord } from '../../../functions/rules/lang/lexicon-tokens.js';

describe('the commonest-words lexicon', () => {
  beforeAll(() => loadLexicon());

  it('has lists for the Latin and Cyrillic languages measured and their neighbours, and no others', () => {
    const langs = lexiconLanguages();
    for (const lang of ['en', 'sw', 'tr', 'az', 'id', 'tl', 'ny', 'zu', 'de', 'fr', 'ru', 'kk', 'uk', 'ky'])
      expect(langs.has(lang), lang).toBe(true);
    for (const lang of ['fa', 'ur', 'ar', 'he', 'el']) expect(langs.has(lang), lang).toBe(false);
  });

  it('ranks the language whose common words the text uses first', () => {
    expect(lexiconScores('thanks for the help', 'latin')[0]?.lang).toBe('en');
    expect(lexiconScores('asante sana kwa msaada', 'latin')[0]?.lang).toBe('sw');
    expect(lexiconScores('teşekkür ederim', 'latin')[0]?.lang).toBe('tr');
  });

  it('scores only the languages of the script asked for, or those named', () => {
    expect(lexiconScores('thanks', 'arabic')).toEqual([]);
    expect(lexiconScores('спасибо', 'cyrillic').some((score) => score.lang === 'en')).toBe(false);
    expect(
      lexiconScores('thanks for the help', 'latin', new Set(['sw', 'tr']))
        .map((score) => score.lang)
        .sort(),
    ).toEqual(['sw', 'tr']);
  });

  it('says when no word is known, and scores commoner words higher', () => {
    expect(lexiconScores('qzxvbnm', 'latin').every((score) => score.known === 0)).toBe(true);
    const the = lexiconScores('the', 'latin', new Set(['en']))[0]!;
    const reluctantly = lexiconScores('reluctantly', 'latin', new Set(['en']))[0]!;
    expect(the.known).toBe(1);
    expect(the.score).toBeGreaterThan(reluctantly.score);
  });

  it('weighs a word no list has by its letter trigrams', () => {
    // A Turkish word in no list: its suffixes (-lerimizden) are Turkish trigrams.
    const scores = lexiconScores('evlerimizdenmişçesine', 'latin');
    expect(scores.every((score) => score.known === 0)).toBe(true);
    expect(scores[0]?.lang).toBe('tr');
  });

  it('reads Arabic-keyboard yeh and kaf as the Persian and Urdu letters', () => {
    expect(normaliseWord('مي')).toBe(normaliseWord('می'));
    expect(normaliseWord('كه')).toBe('که');
  });
});

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

  it("knows Swahili's everyday words, not only the Declaration's and the stopwords", () => {
    // Tatoeba-style sentences (I am not a doctor; my name is John): Albanian and Slovene before the everyday list.
    expect(lexiconScores('Mimi si daktari', 'latin')[0]?.lang).toBe('sw');
    expect(lexiconScores('Jina langu ni John', 'latin')[0]?.lang).toBe('sw');
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

  it('reads capitals as Turkish and Azerbaijani lower-case them for their lists, and as typed without İ too', () => {
    expect(normaliseWord('HAYIR', true)).toBe('hayır');
    expect(normaliseWord('İade', true)).toBe('iade');
    expect(normaliseWord('HAYIR')).toBe('hayir');
    // hayır (no) is among Turkish's commonest words; read as other languages read I, 'HAYIR' is no Turkish word.
    const turkish = (text: string) => lexiconScores(text, 'latin').find((score) => score.lang === 'tr')!;
    expect(turkish('HAYIR').known).toBe(1);
    expect(lexiconScores('HAYIR', 'latin')[0]?.lang).toBe('tr');
    // Capitals typed where the keyboard has no İ write I for both: 'BIR' is still bir (one), as 'BİR' is.
    expect(turkish('BIR').known).toBe(1);
    expect(turkish('BİR').known).toBe(1);
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

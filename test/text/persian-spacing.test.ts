import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseText } from '../../functions/text/normalise.js';
import {
  BMP_DIGIT_ZEROS,
  beforeFolding,
  DEFAULT_COMPOUNDS,
  joinAffixes,
  rewritesBeforeFolding,
} from '../../functions/text/persian-spacing.js';

describe('beforeFolding', () => {
  it('knows every decimal digit of the Basic Multilingual Plane', () => {
    const digits = new Set(BMP_DIGIT_ZEROS.flatMap((zero) => Array.from({ length: 10 }, (_, k) => zero + k)));
    for (let code = 0; code < 0x10000; code++) {
      expect(digits.has(code), `U+${code.toString(16)}`).toBe(/^\p{Nd}$/u.test(String.fromCharCode(code)));
    }
  });

  it('rewrites exactly as every rewrite run on the whole text: its scan never skips one that applies', () => {
    // Letters written three times with marks, tatweel, invisibles or superscript alef between, digits of several
    // scripts (one astral), ezafe, preverbs, and what breaks a run.
    const parts = [
      'م',
      'ل',
      'ا',
      'ه',
      'ی',
      'ي',
      'ۀ',
      'ٰ',
      'ـ',
      'ً',
      'ُ',
      '\u200C',
      '\u200B',
      '\u00A0',
      '\u200D',
      '\u061C',
      '\u200F',
      '\u06D6',
      '\u0301',
      '۹',
      '٣',
      '7',
      '१',
      '𝟗',
      ' ',
      'بر',
      'می',
      'دارد',
      'سلام',
      'a',
      '😀',
      '،',
      '\n',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...parts), { maxLength: 24 }), (chosen) => {
        const text = chosen.join('').normalize('NFKC');
        expect(beforeFolding(text)).toBe(rewritesBeforeFolding(text));
      }),
      { numRuns: 5_000 },
    );
  });

  it('joins affixes exactly as every pattern run on the whole text: a pattern is skipped only where it cannot apply', () => {
    const parts = [
      'می',
      'مي',
      'نمی',
      'بر',
      'خانه',
      'ها',
      'های',
      'تر',
      'گری',
      'اند',
      'ام',
      'کار',
      'آفرین',
      'ه',
      'a',
      ' ',
      ' ',
      '\u200C',
      '۹',
    ];
    const compounds = DEFAULT_COMPOUNDS.map((compound) => compound.replaceAll('\u0622', '\u0627'));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...parts), { maxLength: 16 }), (chosen) => {
        // As normaliseText hands it over: normalised, affixes not yet joined.
        const text = normaliseText(chosen.join(''), { compounds: [] });
        expect(joinAffixes(text, compounds)).toBe(joinAffixes(text, compounds, true));
      }),
      { numRuns: 5_000 },
    );
  });

  it('folds letters written three times, and splits a digit glued to a word', () => {
    expect(beforeFolding('سلامممم')).toBe('سلام');
    expect(beforeFolding('سلامـمـم')).toBe('سلام');
    expect(beforeFolding('۹متر')).toBe('۹ متر');
    expect(beforeFolding('متر𝟗'.normalize('NFKC'))).toBe('متر 9');
  });
});

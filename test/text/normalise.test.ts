import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capText, MAX_MATCH_TEXT_LENGTH, normaliseText } from '../../functions/text/index.js';

describe('normaliseText', () => {
  it('applies NFKC: full-width letters, ligatures and Arabic presentation forms', () => {
    expect(normaliseText('ＯＰＥＮ')).toBe('open');
    expect(normaliseText('ﬁle')).toBe('file');
    expect(normaliseText('ﻻ')).toBe('لا');
  });

  it('folds case, including final sigma and sharp s', () => {
    expect(normaliseText('Opening HOURS')).toBe('opening hours');
    expect(normaliseText('ΟΔΟΣ')).toBe(normaliseText('οδος'));
    expect(normaliseText('Straße')).toBe('strasse');
    expect(normaliseText('ПРИВЕТ')).toBe('привет');
  });

  it('drops Latin accents by default and keeps them when the rule asks', () => {
    expect(normaliseText('Café Crème')).toBe('cafe creme');
    expect(normaliseText('cafe\u0301')).toBe('cafe');
    expect(normaliseText('Café', { accents: 'match' })).toBe('café');
    expect(normaliseText('cafe\u0301', { accents: 'match' })).toBe('café');
  });

  it('keeps marks that are letters in other scripts (й is not и)', () => {
    expect(normaliseText('Йод')).toBe('йод');
    expect(normaliseText('नमस्ते')).toBe('नमस्ते');
  });

  it('unifies the Arabic and Persian yeh forms ي ى ی', () => {
    expect(normaliseText('علي')).toBe(normaliseText('علی'));
    expect(normaliseText('على')).toBe(normaliseText('علی'));
  });

  it('unifies the Arabic and Persian kaf forms ك ک', () => {
    expect(normaliseText('كتاب')).toBe(normaliseText('کتاب'));
  });

  it('unifies the alef forms أ إ آ ٱ ا', () => {
    const plain = normaliseText('امل');
    for (const alef of ['أ', 'إ', 'آ', 'ٱ']) expect(normaliseText(`${alef}مل`)).toBe(plain);
  });

  it('keeps ة apart from ه unless the rule asks to unify them', () => {
    expect(normaliseText('مدرسة')).not.toBe(normaliseText('مدرسه'));
    expect(normaliseText('مدرسة', { unifyTehMarbuta: true })).toBe(normaliseText('مدرسه', { unifyTehMarbuta: true }));
  });

  it('writes ۀ and ezafe hamza as ه', () => {
    expect(normaliseText('خانۀ')).toBe('خانه');
    expect(normaliseText('خانهٔ')).toBe('خانه');
  });

  it('removes harakat, tanwin and tatweel', () => {
    expect(normaliseText('مَرْحَبًا')).toBe(normaliseText('مرحبا'));
    expect(normaliseText('كِتَابٌ')).toBe(normaliseText('کتاب'));
    expect(normaliseText('سلـــام')).toBe('سلام');
  });

  it('treats the Persian zero-width non-joiner, no space and a space alike', () => {
    const forms = ['می\u200Cخواهم', 'میخواهم', 'می خواهم'].map((form) => normaliseText(form));
    expect(new Set(forms).size).toBe(1);
    const plural = ['کتاب\u200Cها', 'کتابها', 'کتاب ها'].map((form) => normaliseText(form));
    expect(new Set(plural).size).toBe(1);
    expect(normaliseText('نمی خواهم')).toBe(normaliseText('نمی‌خواهم'));
  });

  it('removes Hebrew niqqud and cantillation', () => {
    expect(normaliseText('שָׁלוֹם')).toBe(normaliseText('שלום'));
    expect(normaliseText('בְּרֵאשִׁ֖ית')).toBe(normaliseText('בראשית'));
  });

  it('unifies Hebrew final letter forms', () => {
    expect(normaliseText('שלום')).toBe(normaliseText('שלומ'));
    for (const [final, plain] of [
      ['ך', 'כ'],
      ['ם', 'מ'],
      ['ן', 'נ'],
      ['ף', 'פ'],
      ['ץ', 'צ'],
    ]) {
      expect(normaliseText(final!)).toBe(plain);
    }
  });

  it('writes Persian and Arabic-Indic digits as ASCII digits', () => {
    expect(normaliseText('۱۲۳۴۵۶۷۸۹۰')).toBe('1234567890');
    expect(normaliseText('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
  });

  it('removes emoji variation selectors and skin tones, and invisible direction marks', () => {
    expect(normaliseText('👍🏽')).toBe('👍');
    expect(normaliseText('❤️')).toBe('❤');
    expect(normaliseText('\u200Fسلام\u200E')).toBe('سلام');
  });

  it('maps a character the same wherever it stands and under each combination of options alone', () => {
    // Each combination has its own table, filled on first need: one must not answer for another.
    expect(normaliseText('ة', { unifyTehMarbuta: true })).toBe('ه');
    expect(normaliseText('ة')).toBe('ة');
    expect(normaliseText('ئ', { unifyHamza: true })).toBe('ی');
    expect(normaliseText('ئ')).toBe('ئ');
    expect(normaliseText('ۃ', { unifyTehMarbuta: true, layer: false })).toBe('ۃ');
    expect(normaliseText('ۃ', { unifyTehMarbuta: true })).toBe('ة');
    // The first changed character may come after unchanged ones, or be the one that grows (ß → ss).
    expect(normaliseText('abc ك straße ۱۲ 😀 ץ')).toBe('abc ک strasse 12 😀 צ');
    expect(normaliseText('ß'.repeat(3000))).toBe('ss'.repeat(3000));
  });

  it('collapses whitespace', () => {
    expect(normaliseText('  opening \n\t hours  ')).toBe('opening hours');
  });

  it('passes text in scripts it has no rule for through unharmed', () => {
    expect(normaliseText('ሰላም ⵜⴰⵎⴰⵣⵉⵖⵜ')).toBe('ሰላም ⵜⴰⵎⴰⵣⵉⵖⵜ');
    expect(normaliseText('')).toBe('');
  });

  it('is idempotent for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        const once = normaliseText(text);
        expect(normaliseText(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent where folding would make a spacing rewrite apply: an ezafe in letter variants, behind a mark or before a number, a run of variants', () => {
    for (const [text, folded] of [
      ['ۀ\nي', 'ه'],
      ['هٔ ی', 'ه'],
      ['کاریيي', 'کاری'],
      ['خانه\u200Cي', 'خانه'],
      ['ۀ ي۱۲۳', 'ه 123'],
    ] as const) {
      expect(normaliseText(text), text).toBe(folded);
      expect(normaliseText(folded), folded).toBe(folded);
    }
  });
});

describe('capText', () => {
  it('cuts enormous text at the cap without splitting a surrogate pair', () => {
    const text = `${'a'.repeat(MAX_MATCH_TEXT_LENGTH - 1)}😀tail`;
    const capped = capText(text);
    expect(capped).toBe('a'.repeat(MAX_MATCH_TEXT_LENGTH - 1));
    expect(capText('short')).toBe('short');
  });
});

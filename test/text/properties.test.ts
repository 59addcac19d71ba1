import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containsPhrase, normaliseText, phraseTokens, textTokens, tokenize } from '../../functions/text/index.js';

// Text made of pieces people actually mix: several scripts, marks, ZWNJ, emoji, digits, hashtags, URLs.
const piece = fc.constantFrom(
  'refund',
  'Opening',
  'HOURS',
  'café',
  'ساعت',
  'کاری',
  'ساعات',
  'العمل',
  'مَرْحَبًا',
  'می',
  '\u200C',
  'خواهم',
  'ها',
  'كتاب',
  'ي',
  'שָׁלוֹם',
  'שעות',
  'ם',
  'часы',
  'ёлка',
  'saa',
  'kazi',
  'çalışma',
  '۱۲۳',
  '٤٥',
  '42',
  '😡',
  '👍🏽',
  '👩‍💻',
  '#fail',
  '@brand',
  'https://x.example/a',
  '营业',
  'เวลา',
  ' ',
  ' ',
  ', ',
  '!',
  '?',
  '؟',
  '-',
  "'",
  '"',
  '\n',
  'ـ',
  'ۀ',
  'İ',
  'ß',
);
const text = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(''));

describe('text layer properties', () => {
  it('never throws, and yields only non-empty tokens without spaces', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ unit: 'grapheme', maxLength: 30 })), (value) => {
        for (const token of textTokens(value)) {
          expect(token.length).toBeGreaterThan(0);
          expect(token).not.toMatch(/\s/u);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('any text contains itself as a phrase', () => {
    fc.assert(
      fc.property(text, (value) => {
        const phrase = phraseTokens(value);
        fc.pre(phrase.length > 0);
        expect(containsPhrase(textTokens(value), phrase)).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  });

  it('a phrase is found inside a longer text when separated by spaces', () => {
    fc.assert(
      fc.property(text, text, text, (before, value, after) => {
        const phrase = phraseTokens(value);
        fc.pre(phrase.length > 0);
        expect(containsPhrase(textTokens(`${before}. ${value} .${after}`), phrase)).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  });

  it('tokenizing is stable under normalising again', () => {
    fc.assert(
      fc.property(text, (value) => {
        const normalised = normaliseText(value);
        expect(tokenize(normaliseText(normalised))).toEqual(tokenize(normalised));
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('normaliseText white space', () => {
  // Every kind of white space, alone and in runs, between words of several scripts.
  const space = fc.constantFrom(' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\u3000', '\u2028', '\ufeff', ' \u00a0 ');
  const word = fc.constantFrom('refund', 'ساعت', 'می', 'ها', 'שעות', 'часы', '😀', '#fail', '');
  const spaced = fc.array(fc.tuple(word, space), { maxLength: 8 }).map((parts) => parts.map(([w, s]) => w + s).join(''));

  it('leaves single plain spaces only, none at either end, as collapsing every run of white space does', () => {
    fc.assert(
      fc.property(spaced, (value) => {
        const normalised = normaliseText(value);
        expect(normalised).not.toMatch(/[^\S ]| {2}|^\s|\s$/u);
      }),
      { numRuns: 1_000 },
    );
  });
});

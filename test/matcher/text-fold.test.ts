import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textFold } from '../../functions/matcher/text-fold.js';
import { textTokens } from '../../functions/rules/text/index.js';

/**
 * The fold may only be used to skip text analysis if it is sound: whenever tokens occur
 * consecutively in a text's tokens (which is what a phrase match is), their fold occurs in the
 * text's fold. Generated text mixes every script and every character the normaliser treats
 * specially, in context: combining marks, letter variants, joiners, quotes, digits, emoji.
 */
const PIECES = [
  // Latin with precomposed and combining accents, ligatures, full-width, ß, dotted I, final sigma.
  'cafe', 'café', 'cafe\u0301', 'CAFÉ', 'ﬁle', 'Ｆｕｌｌ', 'straße', 'İstanbul', 'ΟΔΟΣ', 'σοφός', 'ς',
  // Persian/Arabic: variants, harakat, tanwin, tatweel, ZWNJ and the three spellings of "I want".
  'می‌خواهم', 'میخواهم', 'می خواهم', 'نمی خواهم', 'کتاب ها', 'کتاب‌ها', 'بهتر ترین', 'كتاب', 'يك', 'ى', 'أحمد', 'إسلام', 'آب', 'ٱلله',
  'مدرسة', 'ۀ', 'شُكْرًا', 'ســـلام', 'ي\u0654', 'ئ', '۱۲۳', '١٢٣', '٫', '،', '؟', '؛',
  // Hebrew: niqqud, cantillation, final forms, quotes inside words.
  'שָׁלוֹם', 'שלום', 'צה"ל', 'ג\'ירפה', 'ג׳ירפה', 'מלך', 'ﬠ', 'ﬡ',
  // Cyrillic, Swahili, Hangul (jamo and syllables), Han.
  'ёлка', 'Ёлка', 'елка', 'habari', '\u1100\u1161', '가', '漢字',
  // Emoji, modifiers, joiners, flags, invisibles, URLs, tags, handles, punctuation.
  '😀', '👍🏽', '👍', '👩‍💻', '🇮🇷', '\u200D', '\u200C', '\u200B', '\u00AD', '\uFEFF', '\u2066', '\uFE0F',
  'https://x.com/refund?a=1', 'www.example.com/a.', '#refund', '#ساعت_کاری', '@foghorn', 'a@b.com', '...', '!', '"', "'", '-', '_', '①', '㎏',
];
const SEPARATORS = ['', ' ', '  ', '\n', ', ', '\u200C', '\u200B', '\u00A0'];
const text = fc.array(fc.tuple(fc.constantFrom(...PIECES), fc.constantFrom(...SEPARATORS)), { maxLength: 12 })
  .map((parts) => parts.map(([piece, separator]) => piece + separator).join(''));

describe('textFold', () => {
  for (const options of [{}, { accents: 'match' as const }, { unifyTehMarbuta: true }]) {
    it(`contains the fold of every run of consecutive tokens (${JSON.stringify(options)})`, () => {
      const fold = textFold(options);
      fc.assert(
        fc.property(text, (input) => {
          const folded = fold(input);
          const tokens = textTokens(input, options);
          for (let start = 0; start < tokens.length; start++) {
            for (let end = start + 1; end <= Math.min(tokens.length, start + 3); end++) {
              expect(folded).toContain(fold(tokens.slice(start, end).join(' ')));
            }
          }
        }),
        { numRuns: 3_000 },
      );
    });
  }

  it('keeps letters, digits and emoji and drops what never decides a match', () => {
    const fold = textFold({});
    expect(fold('Café, #Refund!! 😀')).toBe('caferefund😀');
    expect(fold('می خواهم')).toBe(fold('می‌خواهم'));
    expect(fold('كتاب ١٢٣')).toBe(fold('کتاب 123'));
  });
});

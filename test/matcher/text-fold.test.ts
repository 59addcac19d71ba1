import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { END, type FoldedText, MAY_START, textFold } from '../../functions/matcher/text-fold.js';
import { textTokens } from '../../functions/text/index.js';

/**
 * The fold may only be used to skip text analysis if it is sound: whenever tokens occur
 * consecutively in a text's tokens (which is what a phrase match is), their fold occurs in the
 * text's fold, from a possible token start to a possible token end. Generated text mixes every
 * script and every character the normaliser treats specially, in context (combining marks, letter
 * variants, joiners, quotes, digits, emoji), and raw code points (this found that "↮" decomposes to
 * an emoji arrow the tokenizer never sees, and that a lone regional indicator is no token).
 */
const PIECES = [
  // Latin with precomposed and combining accents, ligatures, full-width, ß, dotted I, final sigma.
  'cafe',
  'café',
  'cafe\u0301',
  'CAFÉ',
  'ﬁle',
  'Ｆｕｌｌ',
  'straße',
  'İstanbul',
  'ΟΔΟΣ',
  'σοφός',
  'ς',
  // Persian/Arabic: variants, harakat, tanwin, tatweel, ZWNJ and the three spellings of "I want".
  'می‌خواهم',
  'میخواهم',
  'می خواهم',
  'نمی خواهم',
  'کتاب ها',
  'کتاب‌ها',
  'بهتر ترین',
  'كتاب',
  'يك',
  'ى',
  'أحمد',
  'إسلام',
  'آب',
  'ٱلله',
  'مدرسة',
  'ۀ',
  'شُكْرًا',
  'ســـلام',
  'ي\u0654',
  'ئ',
  '۱۲۳',
  '١٢٣',
  '٫',
  '،',
  '؟',
  '؛',
  // Hebrew: niqqud, cantillation, final forms, quotes inside words.
  'שָׁלוֹם',
  'שלום',
  'צה"ל',
  "ג'ירפה",
  'ג׳ירפה',
  'מלך',
  'ﬠ',
  'ﬡ',
  // Cyrillic, Swahili, Hangul (jamo and syllables), Han.
  'ёлка',
  'Ёлка',
  'елка',
  'habari',
  '\u1100\u1161',
  '가',
  '漢字',
  // Emoji, modifiers, joiners, flags, invisibles, URLs, tags, handles, punctuation.
  '😀',
  '👍🏽',
  '👍',
  '👩‍💻',
  '🇮🇷',
  '\u200D',
  '\u200C',
  '\u200B',
  '\u00AD',
  '\uFEFF',
  '\u2066',
  '\uFE0F',
  'https://x.com/refund?a=1',
  'www.example.com/a.',
  '#refund',
  '#ساعت_کاری',
  '@foghorn',
  'a@b.com',
  '...',
  '!',
  '"',
  "'",
  '-',
  '_',
  '①',
  '㎏',
  // Compatibility forms that expand or join: Arabic ligatures and presentation forms, ẞ, dotless ı,
  // Armenian and Yiddish ligatures; scripts written without spaces or with conjuncts.
  'ﷺ',
  'ﻻ',
  'ﺍﻟﺴﻼﻡ',
  'ẞ',
  'ı',
  'ﬓ',
  'װ',
  'क्षत्रिय',
  'ภาษาไทย',
  'カタカナー',
  '٬',
  '½',
];
const SEPARATORS = ['', ' ', '  ', '\n', ', ', '\u200C', '\u200B', '\u00A0'];
const pieces = fc
  .array(fc.tuple(fc.constantFrom(...PIECES), fc.constantFrom(...SEPARATORS)), { maxLength: 12 })
  .map((parts) => parts.map(([piece, separator]) => piece + separator).join(''));
/** Any code points from the blocks that matter (Latin, marks, Greek, Cyrillic, Hebrew, Arabic, symbols, forms, emoji). */
const codePoints = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0x20, max: 0x24f }),
      fc.integer({ min: 0x300, max: 0x36f }),
      fc.integer({ min: 0x370, max: 0x52f }),
      fc.integer({ min: 0x590, max: 0x6ff }),
      fc.integer({ min: 0x750, max: 0x77f }),
      fc.integer({ min: 0x8a0, max: 0x8ff }),
      fc.integer({ min: 0x1e00, max: 0x1fff }),
      fc.integer({ min: 0x2000, max: 0x206f }),
      fc.integer({ min: 0x2100, max: 0x24ff }),
      fc.integer({ min: 0xfb00, max: 0xfdff }),
      fc.integer({ min: 0xfe70, max: 0xfeff }),
      fc.integer({ min: 0xff00, max: 0xffef }),
      fc.integer({ min: 0x1f1e6, max: 0x1f1ff }),
      fc.integer({ min: 0x1f300, max: 0x1faff }),
      fc.constantFrom(0x20, 0x20, 0x200c, 0x200d, 0x23, 0x40),
    ),
    { maxLength: 30 },
  )
  .map((codes) => String.fromCodePoint(...codes));
/** And any code points at all (this found Myanmar digits, which the tokenizer splits one by one). */
const anyCodePoints = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0x20, max: 0xd7ff }),
      fc.integer({ min: 0xe000, max: 0xffff }),
      fc.integer({ min: 0x10000, max: 0x1ffff }),
      fc.constantFrom(0x20, 0x20, 0x200c, 0x200d),
    ),
    { maxLength: 25 },
  )
  .map((codes) => String.fromCodePoint(...codes));
const text = fc.oneof(pieces, codePoints, anyCodePoints);

function textOf(folded: FoldedText): string {
  return String.fromCharCode(...folded.units.subarray(0, folded.length));
}

/** Whether `needle` occurs in the fold starting at a possible token start and ending at a possible end. */
function occursAtBoundaries(folded: FoldedText, needle: string): boolean {
  const text = textOf(folded);
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    if (((folded.flags[at] as number) & MAY_START) !== 0 && ((folded.flags[at + needle.length - 1] as number) & END) !== 0) return true;
  }
  return false;
}

describe('textFold', () => {
  for (const options of [{}, { accents: 'match' as const }, { unifyTehMarbuta: true }]) {
    it(`holds the fold of every run of consecutive tokens, at token boundaries (${JSON.stringify(options)})`, () => {
      const fold = textFold(options);
      fc.assert(
        fc.property(text, (input) => {
          const folded = fold.text(input);
          const tokens = textTokens(input, options);
          for (let start = 0; start < tokens.length; start++) {
            for (let end = start + 1; end <= Math.min(tokens.length, start + 3); end++) {
              const needle = fold.phrase(tokens.slice(start, end).join(' '));
              if (needle === '') continue;
              expect(occursAtBoundaries(folded, needle), `${JSON.stringify(needle)} in ${JSON.stringify(textOf(folded))}`).toBe(true);
            }
          }
        }),
        { numRuns: 10_000 },
      );
    });
  }

  it('keeps letters, digits and emoji, drops what never decides a match, and marks word boundaries', () => {
    const fold = textFold({});
    const folded = fold.text('Café, #Refund!! 😀');
    expect(textOf(folded)).toBe('caferefund😀');
    expect(occursAtBoundaries(folded, 'refund')).toBe(true);
    expect(occursAtBoundaries(folded, 'efund')).toBe(false);
    expect(occursAtBoundaries(fold.text('scar'), 'car')).toBe(false);
    expect(textOf(fold.text('می خواهم'))).toBe(textOf(fold.text('می‌خواهم')));
    expect(textOf(fold.text('كتاب ١٢٣'))).toBe(textOf(fold.text('کتاب 123')));
  });
});

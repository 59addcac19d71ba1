import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseText, tokenize, tokenKeys } from '../../functions/text/index.js';

const tokens = (text: string) => tokenize(normaliseText(text));

describe('tokenize', () => {
  it('splits words on spaces and punctuation in every script', () => {
    expect(tokens('Opening hours, please!')).toEqual(['opening', 'hours', 'please']);
    expect(tokens('ساعت کاری شما چیه؟')).toEqual(['ساعت', 'کاری', 'شما', 'چیه']);
    expect(tokens('מה שעות הפתיחה?')).toEqual(['מה', 'שעות', 'הפתיחה']);
    expect(tokens('Какие часы работы?')).toEqual(['какие', 'часы', 'работы']);
  });

  it('keeps emoji as tokens of their own that do not break words', () => {
    expect(tokens('hours😀please')).toEqual(['hours', '😀', 'please']);
    expect(tokens('👩‍💻 works')).toEqual(['👩‍💻', 'works']);
    expect(tokens('🇮🇷🇮🇱')).toEqual(['🇮🇷', '🇮🇱']);
  });

  it('keeps a URL whole, so the words inside it are not words of the post', () => {
    expect(tokens('see https://shop.example/refund-policy. thanks')).toEqual(['see', 'https://shop.example/refund-policy', 'thanks']);
    expect(tokens('www.example.com/price!')).toEqual(['www.example.com/price']);
  });

  it('keeps hashtags and handles whole, in any script', () => {
    expect(tokens('#Refund now @Foghorn_Ops')).toEqual(['#refund', 'now', '@foghorn_ops']);
    expect(tokens('#بازگشت_وجه')).toEqual(['#بازگشت_وجه']);
  });

  it('does not read an e-mail address as a handle', () => {
    expect(tokens('mail a@b.com')).toEqual(['mail', 'a', 'b', 'com']);
  });

  it('keeps Hebrew acronyms with gershayim as one word', () => {
    expect(tokens('צה"ל')).toEqual(tokens('צהל'));
  });

  it('makes each character of scripts written without spaces a token', () => {
    expect(tokens('营业时间')).toEqual(['营', '业', '时', '间']);
  });

  it('lets a hashtag stand for its word too, but not a handle', () => {
    expect(tokenKeys('#refund')).toEqual(['#refund', 'refund']);
    expect(tokenKeys('@refund')).toEqual(['@refund']);
    expect(tokenKeys('refund')).toEqual(['refund']);
  });
});

/** The pattern tokenize walks by hand (its doc comment), matched as it was before the walk: the walk must give its tokens. */
const NO_SPACE_SCRIPTS = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}`;
const TAG_CHAR = String.raw`[\p{L}\p{M}\p{N}_]`;
const TOKEN = new RegExp(
  [
    String.raw`(?<url>(?:https?://|www\.)[^\s<>"]+)`,
    String.raw`(?<tag>(?<![\p{L}\p{M}\p{N}_])[#@]${TAG_CHAR}(?:[\p{L}\p{M}\p{N}_.]*${TAG_CHAR})?)`,
    String.raw`(?<emoji>[\u{1F1E6}-\u{1F1FF}]{2}|\p{Extended_Pictographic}(?:\u200D\p{Extended_Pictographic})*)`,
    String.raw`(?<cluster>[${NO_SPACE_SCRIPTS}]\p{M}*)`,
    String.raw`(?<word>[[\p{L}\p{M}\p{N}]--[${NO_SPACE_SCRIPTS}]]+)`,
  ].join('|'),
  'gv',
);

function patternTokens(text: string): string[] {
  return [...text.matchAll(TOKEN)].map((match) =>
    match.groups?.url !== undefined ? match.groups.url.replace(/[.,!?;:)\]}'"»”’]+$/u, '') : match[0],
  );
}

// Pieces where the walk could part from the pattern: URL prefixes and their ends, signs of tags and what may follow
// them, emoji sequences and flags, marks after scripts written without spaces, ZWNJ and ZWJ, surrogates on their own.
const PIECES = [
  'https://',
  'http://',
  'https:/',
  'www.',
  'www',
  'http',
  'h',
  'w',
  'x.com/a?b=1',
  '<',
  '>',
  '"',
  ')',
  '.',
  ',',
  '!',
  '#',
  '@',
  '##',
  '_',
  '..',
  ' ',
  '\u00a0',
  '\u3000',
  '\n',
  '\t',
  '\u200c',
  '\u200d',
  '\u2060',
  'سلام',
  'والتوصيل',
  'می\u200cخواهم',
  'کتاب\u200cها',
  'צה"ל',
  'שלום',
  'ı',
  'İ',
  'iade',
  'ŞEKER',
  '\u0301',
  '\u064b',
  '\u05b0',
  '😀',
  '👩\u200d💻',
  '\u200d😀',
  '🇮🇷',
  '🇮',
  '❤\ufe0f',
  'ℹ',
  '©',
  '™',
  '#️⃣',
  '营业',
  '々',
  'ไทย',
  '\u0e31',
  'ລາວ',
  'ខ្មែរ',
  'မြန်',
  'カタカナ',
  'ひらがな',
  '123',
  '٣٤',
  '۵',
  '½',
  'Ⅻ',
  '\ud83d',
  '\ude00',
  '𝐀𝐁',
  '𠀀',
  'refund',
  'Привет',
];

describe('tokenize, held to the pattern it walks', () => {
  it('gives the pattern’s tokens on tricky posts', () => {
    for (const text of [
      'see https://shop.example/refund-policy. thanks',
      'www.example.com/price!) and http://a.b/"quoted"',
      'https:// nothing, www. nothing, http://',
      '#Refund now @Foghorn_Ops a@b.com x#y #_ #. #a. #a..b. @@x',
      '#بازگشت_وجه می‌خواهم کتاب‌ها والتوصيل',
      'צה"ל שלום ומה',
      'İade ıslak ŞEKER',
      'hours😀please 👩‍💻 works 🇮🇷🇮🇱🇮 ❤️ ℹinfo xℹ',
      '营业时间 ไทยั ລາວ ខ្មែរ မြန်မာ カタカナ ひらがな 々〇',
      '123 ٣٤ ۵۶ ½ Ⅻ 𝐀𝐁 𠀀x',
      'lone \ud83d surrogate \ude00 here',
      '',
    ]) {
      expect(tokenize(text), text).toEqual(patternTokens(text));
    }
  });

  it('gives the pattern’s tokens on generated text of those pieces', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...PIECES), { maxLength: 14 }).map((pieces) => pieces.join('')),
        (text) => {
          expect(tokenize(text)).toEqual(patternTokens(text));
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('classes every code point as the pattern does, at the start of a token, inside one and after a sign', () => {
    const codePoints: number[] = [];
    for (let codePoint = 0; codePoint <= 0xffff; codePoint++) codePoints.push(codePoint);
    // Beyond the BMP: every emoji and symbol block, the start of each plane in use, and a sample of the rest.
    for (let codePoint = 0x1f000; codePoint <= 0x1faff; codePoint++) codePoints.push(codePoint);
    for (let codePoint = 0x10000; codePoint <= 0x10ffff; codePoint += 97) codePoints.push(codePoint);
    const chunk = 4_000;
    for (let from = 0; from < codePoints.length; from += chunk) {
      const text = codePoints
        .slice(from, from + chunk)
        .map((codePoint) => {
          const char = String.fromCodePoint(codePoint);
          return `${char}a${char} #${char}x.${char} ${char}\u200d${char}\u0301 `;
        })
        .join('');
      expect(tokenize(text)).toEqual(patternTokens(text));
    }
  });
});

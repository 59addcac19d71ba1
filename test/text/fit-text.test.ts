import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { graphemes, splitText, type TextCount, textLength, truncateText } from '../../functions/text/index.js';

describe('textLength: counted the way each platform counts', () => {
  it("X's weighted count (twitter-text v3): Latin 1, CJK 2, an emoji sequence 2, a URL 23", () => {
    expect(textLength('hello', 'x-weighted')).toBe(5);
    expect(textLength('你好世界', 'x-weighted')).toBe(8);
    expect(textLength('こんにちは', 'x-weighted')).toBe(10);
    expect(textLength('한국어', 'x-weighted')).toBe(6);
    // Arabic, Persian and Hebrew letters are in the first range (below U+10FF): 1 each, marks too.
    expect(textLength('سلام', 'x-weighted')).toBe(4);
    expect(textLength('שָׁלוֹם', 'x-weighted')).toBe('שָׁלוֹם'.normalize('NFC').length);
    expect(textLength('👨‍👩‍👧‍👦', 'x-weighted')).toBe(2);
    expect(textLength('🇮🇷', 'x-weighted')).toBe(2);
    expect(textLength('👋🏽', 'x-weighted')).toBe(2);
    // General punctuation U+2010–U+201F weighs 1; the ellipsis U+2026 is outside every range: 2.
    expect(textLength('“ok”', 'x-weighted')).toBe(4);
    expect(textLength('…', 'x-weighted')).toBe(2);
    expect(textLength('see https://example.com/a/very/long/path?with=query&and=more', 'x-weighted')).toBe(4 + 23);
    expect(textLength('see https://t.co/x.', 'x-weighted')).toBe(4 + 23 + 1);
    // A host without a letter TLD is not shortened: its characters count.
    expect(textLength('http://localhost/abcdefghijklmnopqrstuvwxyz', 'x-weighted')).toBe(43);
    // A bare domain weighs at least 23 (X shortens it too).
    expect(textLength('example.com', 'x-weighted')).toBe(23);
    // NFC first: e + combining acute is one code point on X.
    expect(textLength('cafe\u0301', 'x-weighted')).toBe(4);
  });

  it('280 CJK characters are 560 on X: twice the limit', () => {
    expect(textLength('字'.repeat(140), 'x-weighted')).toBe(280);
    expect(textLength('字'.repeat(141), 'x-weighted')).toBe(282);
  });

  it('UTF-16 units, UTF-8 bytes and graphemes', () => {
    const family = '👨‍👩‍👧‍👦';
    expect(textLength(family, 'utf16')).toBe(11);
    expect(textLength(family, 'utf8')).toBe(25);
    expect(textLength(family, 'graphemes')).toBe(1);
    expect(textLength('سلام', 'utf8')).toBe(8);
  });
});

describe('truncateText', () => {
  it('cuts on a word boundary with an ellipsis, within the limit', () => {
    const text = 'The quick brown fox jumps over the lazy dog';
    expect(truncateText(text, { max: 20, counts: 'utf16' })).toBe('The quick brown fox…');
    expect(truncateText(text, { max: 100, counts: 'utf16' })).toBe(text);
  });

  it('on X, measured with weights: 200 CJK characters become at most 280 weighted', () => {
    const cut = truncateText('字'.repeat(200), { max: 280, counts: 'x-weighted' });
    expect(textLength(cut, 'x-weighted')).toBeLessThanOrEqual(280);
    expect(textLength(cut, 'x-weighted')).toBeGreaterThan(270);
    expect(cut.endsWith('…')).toBe(true);
    expect('字'.repeat(200).startsWith(cut.slice(0, -1))).toBe(true);
  });

  it('never cuts a URL in half', () => {
    const text = `${'word '.repeat(50)}https://example.com/${'p'.repeat(40)} tail`;
    const cut = truncateText(text, { max: 280, counts: 'utf16' });
    expect(cut.includes('https://')).toBe(false);
    expect(cut.endsWith('word…')).toBe(true);
  });

  it('drops a cluster that cannot fit rather than cut it', () => {
    expect(truncateText('👨‍👩‍👧‍👦 and more', { max: 12, counts: 'utf8' })).toBe('');
  });

  it('keeps ZWJ sequences, flags, skin tones and combining marks whole', () => {
    const family = '👨‍👩‍👧‍👦';
    expect(truncateText(family.repeat(10), { max: 30, counts: 'utf16' })).toBe(`${family.repeat(2)}…`);
    const niqqud = 'שָׁלוֹם';
    const cut = truncateText(niqqud.repeat(10), { max: 12, counts: 'utf16' });
    expect(graphemes(cut.slice(0, -1)).every((cluster) => graphemes(niqqud).includes(cluster))).toBe(true);
  });
});

describe('splitText', () => {
  it('prefers sentence ends, then spaces; every part fits and nothing is lost', () => {
    const parts = splitText('One. Two three four. Five six seven eight nine.', { max: 22, counts: 'utf16' });
    expect(parts).toEqual(['One. Two three four.', 'Five six seven eight', 'nine.']);
  });

  it('a word longer than the limit is cut between grapheme clusters', () => {
    const parts = splitText('🇮🇷'.repeat(10), { max: 8, counts: 'utf16' });
    expect(parts).toEqual(['🇮🇷🇮🇷', '🇮🇷🇮🇷', '🇮🇷🇮🇷', '🇮🇷🇮🇷', '🇮🇷🇮🇷']);
  });
});

// Pieces of right-to-left and emoji-heavy text, each with what must never be separated.
const piece = fc.constantFrom(
  'سلام',
  'می\u200Cخواهم', // Persian with a zero-width non-joiner
  'مُحَمَّدٌ', // Arabic with harakat
  'ٱلْعَرَبِيَّةُ',
  'کتاب‌ها',
  'שָׁלוֹם', // Hebrew with niqqud
  'עִבְרִית',
  '👨‍👩‍👧‍👦',
  '👩🏽‍💻',
  '🏳️‍🌈',
  '🇮🇷',
  '🇮🇱',
  '👍🏿',
  '1️⃣',
  'é',
  'e\u0301',
  '字',
  '،',
  '؟',
  '.',
  ' ',
  '  ',
  '\n',
  'https://example.com/مسیر',
);
const text = fc.array(piece, { minLength: 1, maxLength: 120 }).map((pieces) => pieces.join(''));
const counts = fc.constantFrom<TextCount>('utf16', 'utf8', 'graphemes', 'x-weighted');

/** Whether `part` is a run of whole grapheme clusters of `text` (no cluster split). */
function isWholeClusters(part: string, text: string): boolean {
  const clusters = graphemes(text);
  const partClusters = graphemes(part);
  for (let start = 0; start + partClusters.length <= clusters.length; start++) {
    if (partClusters.every((cluster, index) => clusters[start + index] === cluster)) return true;
  }
  return false;
}

describe('fits never split a grapheme cluster (Persian, Arabic, Hebrew, emoji)', () => {
  it('truncateText: within the limit, a whole-cluster start of the text, then the ellipsis', () => {
    fc.assert(
      fc.property(text, counts, fc.integer({ min: 40, max: 200 }), (input, count, max) => {
        const cut = truncateText(input, { max, counts: count });
        expect(textLength(cut, count)).toBeLessThanOrEqual(max);
        if (cut === input) return;
        expect(cut.endsWith('…')).toBe(true);
        const kept = cut.slice(0, -1);
        expect(input.startsWith(kept)).toBe(true);
        // The cut falls between clusters: the kept clusters are the text's first ones.
        expect(graphemes(input).slice(0, graphemes(kept).length)).toEqual(graphemes(kept));
      }),
      { numRuns: 300 },
    );
  });

  it('splitText: every part within the limit, whole clusters, and together all of the text', () => {
    fc.assert(
      fc.property(text, counts, fc.integer({ min: 30, max: 200 }), (input, count, max) => {
        const parts = splitText(input, { max, counts: count });
        for (const part of parts) {
          expect(textLength(part, count)).toBeLessThanOrEqual(max);
          expect(isWholeClusters(part, input)).toBe(true);
        }
        expect(parts.join('').replace(/\s+/gu, '')).toBe(input.replace(/\s+/gu, ''));
      }),
      { numRuns: 300 },
    );
  });
});

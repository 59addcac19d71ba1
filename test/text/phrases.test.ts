import { describe, expect, it } from 'vitest';
import {
  compilePattern,
  containsAllPhrases,
  containsAnyPhrase,
  containsPhrase,
  matchesPattern,
  type NormaliseOptions,
  patternInput,
  phraseTokens,
  textTokens,
} from '../../functions/text/index.js';

function contains(text: string, phrase: string, options: NormaliseOptions = {}): boolean {
  return containsPhrase(textTokens(text, options), phraseTokens(phrase, options));
}

describe('phrase matching (containsAny / containsAll)', () => {
  it('matches whole words only, in every script', () => {
    expect(contains('my car broke', 'car')).toBe(true);
    expect(contains('a scar', 'car')).toBe(false);
    expect(contains('cars', 'car')).toBe(false);
    expect(contains('سعر المنتج', 'سعر')).toBe(true);
    expect(contains('كم سعرات', 'سعر')).toBe(false);
    expect(contains('שעות פתיחה', 'שעות')).toBe(true);
    expect(contains('בשעות', 'שעות')).toBe(false);
    expect(contains('Часы работы', 'час')).toBe(false);
  });

  it('matches multi-word phrases as consecutive words, ignoring punctuation and case', () => {
    expect(contains('What are your OPENING-hours?', 'opening hours')).toBe(true);
    expect(contains('opening our hours', 'opening hours')).toBe(false);
  });

  it('compares normalised text: Arabic letter forms, harakat, ZWNJ, niqqud, finals, digits', () => {
    expect(contains('كم سعرُ هذا؟', 'سعر')).toBe(true);
    expect(contains('ساعت كاري', 'ساعت کاری')).toBe(true);
    expect(contains('من می‌خواهم برگردانم', 'می خواهم')).toBe(true);
    expect(contains('من میخواهم', 'می‌خواهم')).toBe(true);
    expect(contains('שָׁלוֹם לכולם', 'שלום')).toBe(true);
    expect(contains('order ۱۲۳ is late', 'order 123')).toBe(true);
    expect(contains('طلب ١٢٣', 'طلب 123')).toBe(true);
  });

  it("applies the rule's accent and teh marbuta options", () => {
    expect(contains('un café', 'cafe')).toBe(true);
    expect(contains('un cafe', 'café', { accents: 'match' })).toBe(false);
    expect(contains('un café', 'café', { accents: 'match' })).toBe(true);
    expect(contains('المدرسه', 'المدرسة')).toBe(false);
    expect(contains('المدرسه', 'المدرسة', { unifyTehMarbuta: true })).toBe(true);
  });

  it('is not broken by emoji, URLs, hashtags and handles around the words', () => {
    expect(contains('refund😡please', 'refund')).toBe(true);
    expect(contains('@support refund now https://x.example/a', 'refund now')).toBe(true);
    expect(contains('see https://x.example/refund', 'refund')).toBe(false);
  });

  it("matches hashtags and handles as themselves, and a hashtag's word by the plain word", () => {
    expect(contains('so #Delayed again', '#delayed')).toBe(true);
    expect(contains('so #delayed again', 'delayed')).toBe(true);
    expect(contains('so delayed again', '#delayed')).toBe(false);
    expect(contains('thanks @Foghorn', '@foghorn')).toBe(true);
    expect(contains('thanks @Foghorn', 'foghorn')).toBe(false);
  });

  it('matches emoji as tokens', () => {
    expect(contains('worst service 😡😡', '😡')).toBe(true);
    expect(contains('great 👍🏾', '👍')).toBe(true);
  });

  it('containsAny needs one phrase, containsAll every phrase', () => {
    const tokens = textTokens('refund for my late order');
    const phrases = ['refund', 'late order', 'broken'].map((phrase) => phraseTokens(phrase));
    expect(containsAnyPhrase(tokens, phrases)).toBe(true);
    expect(containsAllPhrases(tokens, phrases)).toBe(false);
    expect(containsAllPhrases(tokens, phrases.slice(0, 2))).toBe(true);
  });

  it('handles empty and enormous text without error', () => {
    expect(contains('', 'refund')).toBe(false);
    const huge = `${'lorem ipsum '.repeat(50_000)} refund`;
    expect(contains(huge, 'lorem')).toBe(true);
    expect(contains(huge, 'refund')).toBe(false);
  });
});

describe('matches (RE2)', () => {
  it('runs on normalised text, case-insensitively', () => {
    expect(matchesPattern(patternInput('ORDER #A-1234 is LATE'), compilePattern('order #a-\\d{4}'))).toBe(true);
    expect(matchesPattern(patternInput('سفارش ۴۵۶۷'), compilePattern('سفارش \\d{4}'))).toBe(true);
  });

  it("normalises the pattern's non-ASCII letters like the text", () => {
    expect(matchesPattern(patternInput('كم سعر'), compilePattern('سعر|قیمت'))).toBe(true);
    expect(matchesPattern(patternInput('שלום'), compilePattern('^שלום$'))).toBe(true);
  });

  it('refuses patterns RE2 cannot run in linear time', () => {
    expect(() => compilePattern('(a)\\1')).toThrow(/invalid escape/);
    expect(() => compilePattern('(?=x)')).toThrow();
  });

  it('stays linear on a pattern that backtracking engines blow up on', () => {
    const pattern = compilePattern('^(a+)+$');
    expect(matchesPattern(patternInput(`${'a'.repeat(5_000)}!`), pattern)).toBe(false);
  });
});

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

import { describe, expect, it } from 'vitest';
import { AuthorLanguages } from '../../../functions/rules/lang/author-languages.js';
import { detectTextLanguage } from '../../../functions/rules/lang/detect.js';
import { decideLanguage, describeLanguage, languageOfTag, platformLanguage } from '../../../functions/rules/lang/language-priors.js';

const event = (meta: Record<string, unknown>) =>
  ({
    id: 'telegram:1',
    platform: 'telegram',
    kind: 'message',
    text: '',
    author: { id: 'u1' },
    channel: { id: 'c' },
    thread: {},
    createdAt: '2026-01-05T10:00:00Z',
    receivedAt: '2026-01-05T10:00:00Z',
    meta,
  }) as const;

describe('the text decides before any prior', () => {
  it('a sentence keeps its own language whatever the priors say', async () => {
    const text = await detectTextLanguage('Where is my parcel? I ordered it two weeks ago and nobody answers.');
    expect(text).toMatchObject({ lang: 'en', decisive: true });
    expect(decideLanguage(text, { platform: 'tr', author: 'sw', channel: 'de' })).toEqual({ lang: 'en', from: 'text', stage: 'cld3' });
  });

  it("letters only one language has decide even a single word (Urdu's ے, Kazakh's ұ, Hebrew's script)", async () => {
    for (const [word, lang] of [
      ['پہنچے', 'ur'],
      ['ұлттық', 'kk'],
      ['שלום', 'he'],
    ] as const) {
      const text = await detectTextLanguage(word);
      expect(text, word).toMatchObject({ lang, decisive: true });
      expect(decideLanguage(text, { platform: 'fa', author: 'ru', channel: 'ar' }).from, word).toBe('text');
    }
  });
});

describe('priors decide only short text the text cannot settle', () => {
  it('a word Persian and Urdu share goes to the platform language, then the author, then the channel', async () => {
    const text = await detectTextLanguage('انتخابات');
    expect(text.decisive).toBe(false);
    expect(decideLanguage(text, { platform: 'ur', author: 'fa', channel: 'ar' })).toEqual({ lang: 'ur', from: 'platform' });
    expect(decideLanguage(text, { author: 'ur', channel: 'fa' })).toEqual({ lang: 'ur', from: 'author' });
    expect(decideLanguage(text, { channel: 'ur' })).toEqual({ lang: 'ur', from: 'channel' });
    expect(decideLanguage(text, {}).from).toBe('text');
  });

  it('a short English or Swahili post takes the prior; a prior in another script is passed over', async () => {
    const text = await detectTextLanguage('asante sana');
    expect(text.decisive).toBe(false);
    expect(decideLanguage(text, { platform: 'sw' })).toEqual({ lang: 'sw', from: 'platform' });
    expect(decideLanguage(text, { platform: 'ru', author: 'fa', channel: 'sw' })).toEqual({ lang: 'sw', from: 'channel' });
  });

  it('a post without letters takes any prior, since nothing in it says otherwise', async () => {
    const text = await detectTextLanguage('👍👍 !!!');
    expect(text).toEqual({ lang: undefined, script: undefined, decisive: false });
    expect(decideLanguage(text, { channel: 'fa' })).toEqual({ lang: 'fa', from: 'channel' });
    expect(describeLanguage(decideLanguage(text, {}))).toBe('unknown (from: text)');
  });
});

describe('the platform language the normalisers keep', () => {
  it("reads Telegram's language_code and Discord's locale as language codes", () => {
    expect(platformLanguage(event({ userLanguage: 'fa' }))).toBe('fa');
    expect(platformLanguage(event({ locale: 'pt-BR' }))).toBe('pt');
    expect(platformLanguage(event({ locale: 'en_US' }))).toBe('en');
    expect(platformLanguage(event({}))).toBeUndefined();
    expect(languageOfTag('not a tag!')).toBeUndefined();
    expect(languageOfTag(42)).toBeUndefined();
  });
});

describe('AuthorLanguages', () => {
  it("keeps each author's commonest recent language, the latest among equals", () => {
    const authors = new AuthorLanguages(10, 3);
    expect(authors.languageOf('a')).toBeUndefined();
    authors.record('a', 'fa');
    authors.record('a', 'ur');
    expect(authors.languageOf('a')).toBe('ur');
    authors.record('a', 'fa');
    expect(authors.languageOf('a')).toBe('fa');
    authors.record('a', 'ur');
    authors.record('a', 'ur');
    expect(authors.languageOf('a')).toBe('ur');
  });

  it('forgets the least recently seen author when full', () => {
    const authors = new AuthorLanguages(2);
    authors.record('a', 'fa');
    authors.record('b', 'ar');
    authors.record('a', 'fa');
    authors.record('c', 'ur');
    expect(authors.languageOf('b')).toBeUndefined();
    expect(authors.languageOf('a')).toBe('fa');
    expect(authors.languageOf('c')).toBe('ur');
  });
});

/**
 * The benchmark's rules and events: deterministic (seeded), multilingual, realistic lengths.
 * Rules have the shape the issue measured: platform equality, any of two keywords, a follower
 * threshold. Events are posts of 8-40 words in Persian, Arabic, Hebrew, Russian, Swahili or English,
 * some mixing two languages, with hashtags, handles, emoji, URLs and Persian half-spaces.
 */
import type { CanonicalEvent } from '../functions/core/event.js';

export const PLATFORMS = ['telegram', 'x', 'facebook', 'instagram', 'whatsapp', 'slack'] as const;

/** Mulberry32: small, fast, good enough to make the same workload on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Language = 'fa' | 'ar' | 'he' | 'ru' | 'sw' | 'en';
const LANGUAGES: readonly Language[] = ['fa', 'ar', 'he', 'ru', 'sw', 'en'];

/** Everyday words: what posts are mostly made of, and never a rule's keyword. */
const COMMON_WORDS: Readonly<Record<Language, readonly string[]>> = {
  fa: [
    'سلام',
    'من',
    'شما',
    'امروز',
    'سفارش',
    'خیلی',
    'ممنون',
    'کی',
    'چرا',
    'هنوز',
    'نرسیده',
    'لطفا',
    'می‌خواهم',
    'کمک',
    'این',
    'برای',
    'بود',
    'است',
    'دیروز',
    'پیام',
  ],
  ar: [
    'مرحبا',
    'أنا',
    'أنت',
    'اليوم',
    'الطلب',
    'شكرا',
    'لماذا',
    'متى',
    'لم',
    'يصل',
    'بعد',
    'من',
    'فضلك',
    'أريد',
    'مساعدة',
    'هذا',
    'في',
    'على',
    'كان',
    'رسالة',
  ],
  he: [
    'שלום',
    'אני',
    'אתם',
    'היום',
    'ההזמנה',
    'תודה',
    'למה',
    'מתי',
    'עדיין',
    'לא',
    'הגיעה',
    'בבקשה',
    'רוצה',
    'עזרה',
    'זה',
    'של',
    'על',
    'היה',
    'אתמול',
    'הודעה',
  ],
  ru: [
    'привет',
    'я',
    'вы',
    'сегодня',
    'заказ',
    'спасибо',
    'почему',
    'когда',
    'ещё',
    'не',
    'пришёл',
    'пожалуйста',
    'хочу',
    'помощь',
    'это',
    'для',
    'был',
    'есть',
    'вчера',
    'сообщение',
  ],
  sw: [
    'habari',
    'mimi',
    'wewe',
    'leo',
    'oda',
    'asante',
    'kwa',
    'nini',
    'lini',
    'bado',
    'haijafika',
    'tafadhali',
    'nataka',
    'msaada',
    'hii',
    'ya',
    'na',
    'ilikuwa',
    'jana',
    'ujumbe',
  ],
  en: [
    'hello',
    'i',
    'you',
    'today',
    'order',
    'thanks',
    'why',
    'when',
    'still',
    'not',
    'arrived',
    'please',
    'want',
    'help',
    'this',
    'for',
    'was',
    'is',
    'yesterday',
    'message',
  ],
};

/** Letters keywords are built from, per script: product names, places, campaign words. */
const KEYWORD_SYLLABLES: Readonly<Record<Language, readonly string[]>> = {
  fa: ['کا', 'پو', 'ژی', 'گل', 'چم', 'زر', 'نو', 'بی', 'فر', 'دس'],
  ar: ['قا', 'طو', 'ظي', 'عل', 'صم', 'ضر', 'نو', 'بي', 'فر', 'حس'],
  he: ['כו', 'לי', 'מר', 'נט', 'סב', 'פל', 'צו', 'קר', 'רש', 'תג'],
  ru: ['ка', 'ло', 'ми', 'ну', 'ре', 'ст', 'ва', 'зо', 'бы', 'дё'],
  sw: ['ka', 'li', 'mo', 'nu', 're', 'si', 'wa', 'zo', 'bu', 'ja'],
  en: ['qua', 'lix', 'mor', 'nex', 'ran', 'sto', 'vel', 'zor', 'bry', 'jet'],
};

export interface Workload {
  keywords: string[];
  rules: BenchRule[];
  events: CanonicalEvent[];
}

/** A rule file's content (id, when, then), ready for the rules module's compiler. */
export interface BenchRule {
  id: string;
  priority: number;
  when: { all: Array<Record<string, unknown>> };
  then: Array<Record<string, unknown>>;
}

export function makeKeywords(count: number, random: () => number): string[] {
  const seen = new Set<string>();
  while (seen.size < count) {
    const language = pick(LANGUAGES, random);
    const syllables = KEYWORD_SYLLABLES[language];
    const length = 2 + Math.floor(random() * 3);
    let word = '';
    for (let i = 0; i < length; i++) word += pick(syllables, random);
    // One keyword in eight is a two-word phrase ("word word").
    seen.add(random() < 0.125 ? `${word} ${pick(syllables, random)}${pick(syllables, random)}` : word);
  }
  return [...seen];
}

export function makeRules(count: number, keywords: readonly string[], random: () => number): BenchRule[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `bench-${index}`,
    priority: 1 + Math.floor(random() * 3),
    when: {
      all: [
        { fact: 'platform', operator: 'equal', value: pick(PLATFORMS, random) },
        { fact: 'text', operator: 'containsAny', value: [pick(keywords, random), pick(keywords, random)] },
        { fact: 'author.followers', operator: 'greaterThanInclusive', value: Math.floor(random() * 5000) },
      ],
    },
    then: [{ tag: ['bench'] }],
  }));
}

export function makeEvents(count: number, keywords: readonly string[], random: () => number): CanonicalEvent[] {
  return Array.from({ length: count }, (_, index) => {
    const language = pick(LANGUAGES, random);
    const second = random() < 0.2 ? pick(LANGUAGES, random) : language;
    const words: string[] = [];
    const length = 8 + Math.floor(random() * 33);
    for (let i = 0; i < length; i++) words.push(pick(COMMON_WORDS[random() < 0.8 ? language : second], random));
    // Six posts in ten mention one or two of the watched keywords, somewhere in the text.
    const mentions = random() < 0.6 ? 1 + Math.floor(random() * 2) : 0;
    for (let i = 0; i < mentions; i++) {
      const keyword = pick(keywords, random);
      words.splice(Math.floor(random() * words.length), 0, random() < 0.1 ? `#${keyword.replace(' ', '_')}` : keyword);
    }
    if (random() < 0.2) words.push(pick(['😀', '👍🏽', '🙏', '🔥'], random));
    if (random() < 0.1) words.push('https://example.com/orders/123?ref=foghorn');
    if (random() < 0.1) words.unshift('@foghorn_support');
    const text = words.join(random() < 0.1 ? '، ' : ' ') + pick(['', '?', '!', ' ؟', '...'], random);
    const when = new Date(Date.UTC(2026, 0, 5, 10, 0, index % 60)).toISOString();
    return {
      id: `bench:${index}`,
      platform: pick(PLATFORMS, random),
      kind: 'message',
      text,
      author: { id: `author-${index % 997}`, followers: Math.floor(random() * 10_000) },
      channel: { id: `channel-${index % 13}` },
      thread: {},
      createdAt: when,
      receivedAt: when,
    } satisfies CanonicalEvent;
  });
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

/**
 * The benchmark's rules and events: deterministic (seeded), multilingual, realistic lengths.
 * Rules have the shape the issue measured: platform equality, any of two keywords, a follower
 * threshold. Three workloads share them:
 * - current: posts of 8-40 everyday words in Persian, Arabic, Hebrew, Russian, Swahili or English,
 *   some mixing two languages, with hashtags, handles, emoji, URLs and Persian half-spaces; six in
 *   ten mention one or two keywords of the pool. Almost nothing matches at 10 rules.
 * - dense: a crisis inbox. Every post is 20 words of the rules' keyword pool (its language's, one in
 *   five from a second language), so candidates grow with the rules.
 * - mixed: posts like the current ones, of which one in twenty is built to fire a rule of the set
 *   (its platform, enough followers, one of its keywords) and the rest are arranged to fire none,
 *   although their keywords may still make rules candidates.
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

export type Language = 'fa' | 'ar' | 'he' | 'ru' | 'sw' | 'en';
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

/** The keyword pool and the language each keyword was made in. */
export interface Vocabulary {
  keywords: string[];
  byLanguage: Readonly<Record<Language, readonly string[]>>;
}

export function makeVocabulary(count: number, random: () => number): Vocabulary {
  const seen = new Map<string, Language>();
  while (seen.size < count) {
    const language = pick(LANGUAGES, random);
    const syllables = KEYWORD_SYLLABLES[language];
    const length = 2 + Math.floor(random() * 3);
    let word = '';
    for (let i = 0; i < length; i++) word += pick(syllables, random);
    // One keyword in eight is a two-word phrase ("word word").
    const keyword = random() < 0.125 ? `${word} ${pick(syllables, random)}${pick(syllables, random)}` : word;
    if (!seen.has(keyword)) seen.set(keyword, language);
  }
  const byLanguage = Object.fromEntries(LANGUAGES.map((language) => [language, [] as string[]])) as Record<Language, string[]>;
  for (const [keyword, language] of seen) byLanguage[language].push(keyword);
  return { keywords: [...seen.keys()], byLanguage };
}

export function makeKeywords(count: number, random: () => number): string[] {
  return makeVocabulary(count, random).keywords;
}

export interface RuleOptions {
  /** The follower condition's operator: the current workload's rules say `>=`, the dense workload's `>`. */
  followers?: 'greaterThanInclusive' | 'greaterThan';
}

export function makeRules(count: number, keywords: readonly string[], random: () => number, options: RuleOptions = {}): BenchRule[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `bench-${index}`,
    priority: 1 + Math.floor(random() * 3),
    when: {
      all: [
        { fact: 'platform', operator: 'equal', value: pick(PLATFORMS, random) },
        { fact: 'text', operator: 'containsAny', value: [pick(keywords, random), pick(keywords, random)] },
        { fact: 'author.followers', operator: options.followers ?? 'greaterThanInclusive', value: Math.floor(random() * 5000) },
      ],
    },
    then: [{ tag: ['bench'] }],
  }));
}

interface Post {
  event: CanonicalEvent;
  mentioned: string[];
}

/** An everyday post; six in ten (`mentionShare`) mention one or two keywords of `keywords`, somewhere in the text. */
function everydayPost(index: number, keywords: readonly string[], random: () => number, mentionShare = 0.6): Post {
  const language = pick(LANGUAGES, random);
  const second = random() < 0.2 ? pick(LANGUAGES, random) : language;
  const words: string[] = [];
  const length = 8 + Math.floor(random() * 33);
  for (let i = 0; i < length; i++) words.push(pick(COMMON_WORDS[random() < 0.8 ? language : second], random));
  const mentions = random() < mentionShare ? 1 + Math.floor(random() * 2) : 0;
  const mentioned: string[] = [];
  for (let i = 0; i < mentions; i++) {
    const keyword = pick(keywords, random);
    mentioned.push(keyword);
    words.splice(Math.floor(random() * words.length), 0, asWritten(keyword, random));
  }
  return { event: finishPost(index, words, random), mentioned };
}

/** One keyword in ten is written as a hashtag. */
function asWritten(keyword: string, random: () => number): string {
  return random() < 0.1 ? `#${keyword.replace(' ', '_')}` : keyword;
}

function finishPost(index: number, words: string[], random: () => number): CanonicalEvent {
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
}

/** The current workload's events. */
export function makeEvents(count: number, keywords: readonly string[], random: () => number): CanonicalEvent[] {
  return Array.from({ length: count }, (_, index) => everydayPost(index, keywords, random).event);
}

/** The dense workload's events: 20 words each, all from the keyword pool, in the post's language (one in five in a second one). */
export function makeDenseEvents(count: number, vocabulary: Vocabulary, random: () => number, words = 20): CanonicalEvent[] {
  return Array.from({ length: count }, (_, index) => {
    const language = pick(LANGUAGES, random);
    const second = random() < 0.2 ? pick(LANGUAGES, random) : language;
    const text: string[] = [];
    for (let i = 0; i < words; i++) text.push(asWritten(pick(vocabulary.byLanguage[random() < 0.8 ? language : second], random), random));
    return finishPost(index, text, random);
  });
}

interface RuleShape {
  platform: string;
  keywords: readonly string[];
  followers: number;
  inclusive: boolean;
}

function shapeOf(rule: BenchRule): RuleShape {
  const [platform, text, followers] = rule.when.all as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
  return {
    platform: platform.value as string,
    keywords: text.value as string[],
    followers: followers.value as number,
    inclusive: followers.operator === 'greaterThanInclusive',
  };
}

/**
 * The mixed workload's events for one rule set: everyday posts of which a share `hits` is built to fire
 * a rule (its platform, enough followers, one of its keywords); the others get a platform and a
 * follower count that no rule watching their keywords accepts, or lose their keywords if there is none.
 */
export function makeMixedEvents(
  count: number,
  rules: readonly BenchRule[],
  keywords: readonly string[],
  random: () => number,
  hits = 0.05,
): CanonicalEvent[] {
  const shapes = rules.map(shapeOf);
  const watchers = new Map<string, RuleShape[]>();
  for (const shape of shapes)
    for (const keyword of shape.keywords) {
      const watching = watchers.get(keyword);
      if (watching) watching.push(shape);
      else watchers.set(keyword, [shape]);
    }
  return Array.from({ length: count }, (_, index) => {
    if (random() < hits) {
      const rule = pick(shapes, random);
      const { event } = everydayPost(index, keywords, random, 0);
      const words = event.text.split(' ');
      words.splice(Math.floor(random() * words.length), 0, pick(rule.keywords, random));
      const text = words.join(' ');
      const least = rule.followers + (rule.inclusive ? 0 : 1);
      return {
        ...event,
        text,
        platform: rule.platform,
        author: { ...event.author, followers: least + Math.floor(random() * (10_000 - least)) },
      };
    }
    const { event, mentioned } = everydayPost(index, keywords, random);
    // A two-word keyword also mentions each of its words, which may be keywords of their own.
    const said = mentioned.flatMap((keyword) => [keyword, ...keyword.split(' ')]);
    for (let attempt = 0; attempt < PLATFORMS.length; attempt++) {
      const platform = pick(PLATFORMS, random);
      // The most followers a post may have and still be refused by every rule watching its keywords.
      let ceiling = Number.POSITIVE_INFINITY;
      for (const keyword of said)
        for (const rule of watchers.get(keyword) ?? [])
          if (rule.platform === platform) ceiling = Math.min(ceiling, rule.inclusive ? rule.followers - 1 : rule.followers);
      if (ceiling < 0) continue;
      const followers = Number.isFinite(ceiling) ? Math.floor(random() * (ceiling + 1)) : Math.floor(random() * 10_000);
      return { ...event, platform, author: { ...event.author, followers } };
    }
    return everydayPost(index, keywords, random, 0).event;
  });
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

export type WorkloadName = 'current' | 'dense' | 'mixed';

export interface BenchWorkload {
  name: WorkloadName;
  /** One line saying what the rules and events are. */
  description: string;
  /** The rules and events at one rule count. Each call draws new rules from the workload's own seeded stream. */
  at(size: number): { rules: BenchRule[]; events: CanonicalEvent[] };
}

/**
 * The three workloads of `npm run bench`, each on its own seeded stream, sharing one 5,000-keyword pool.
 * The current workload draws its pool, events and rules in the order the bench always has, so its
 * figures stay comparable with earlier runs.
 */
export function benchWorkloads(options: { events?: number; seed?: number } = {}): BenchWorkload[] {
  const count = options.events ?? 2_000;
  const seed = options.seed ?? 20_261_122;
  const currentRandom = seededRandom(seed);
  const vocabulary = makeVocabulary(5_000, currentRandom);
  const { keywords } = vocabulary;
  const currentEvents = makeEvents(count, keywords, currentRandom);
  const denseRandom = seededRandom(seed + 1);
  const denseEvents = makeDenseEvents(count, vocabulary, denseRandom);
  const mixedRandom = seededRandom(seed + 2);
  return [
    {
      name: 'current',
      description: `${count} everyday posts (fa, ar, he, ru, sw, en; 8-40 words, six in ten mention 1-2 pool keywords); rules: platform = P, text containsAny [2 keywords], author.followers >= N`,
      at: (size) => ({ rules: makeRules(size, keywords, currentRandom), events: currentEvents }),
    },
    {
      name: 'dense',
      description: `${count} posts of 20 words, every one a pool keyword (the post's language, one in five a second one); rules: platform = P, text containsAny [2 keywords], author.followers > N`,
      at: (size) => ({ rules: makeRules(size, keywords, denseRandom, { followers: 'greaterThan' }), events: denseEvents }),
    },
    {
      name: 'mixed',
      description: `${count} everyday posts per rule count, one in twenty built to fire a rule of the set, the rest to fire none (their keywords may still make candidates); rules as current`,
      at: (size) => {
        const rules = makeRules(size, keywords, mixedRandom);
        return { rules, events: makeMixedEvents(count, rules, keywords, mixedRandom) };
      },
    },
  ];
}

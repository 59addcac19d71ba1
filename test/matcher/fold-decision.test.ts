import { describe, expect, it } from 'vitest';
import { ABSENT, ANY_PREFIX, findPhrase, MAYBE, NO_PREFIX, PRESENT, textFold } from '../../functions/matcher/text-fold.js';
import { containsPhrase, matchOptions, type NormaliseOptions, phraseTokens, textTokens } from '../../functions/text/index.js';

/** Mulberry32, so a failure names a seed that reproduces it. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'refund',
  'Refund',
  'order',
  'ORDER',
  'café',
  'cafe',
  'straße',
  'strasse',
  'заказ',
  'ёлка',
  'елка',
  'שלום',
  'סוף',
  'سعر',
  'سعرات',
  'كتاب',
  'کتاب',
  'خواهم',
  'می',
  'ها',
  'www',
  'x',
  're',
  'fund',
  'ΣΟΦΙΑΣ',
  'σοφιας',
  '٣٤',
  '34',
  // Arabic and Hebrew prefixes (clitics), and Persian spellings the layer folds.
  'التوصيل',
  'والتوصيل',
  'الناس',
  'للناس',
  'بانيا',
  'البانيا',
  'שנת',
  'בשנת',
  'הבית',
  'בבית',
  'گفته',
  'اند',
  'سلامممم',
  'میرم',
  'میروم',
];
/** Things that make a fold inexact, or that tokenize reads specially. */
const TRICKY = [
  '#refund',
  '@order',
  'www.refund.com',
  'https://x.re/fund',
  'می‌خواهم',
  'cafe\u0301',
  're\u200Cfund',
  '😀',
  'ـسعر',
  'צה"ל',
  "don't",
  '日本',
  'e-mail',
  'ref_und',
  // Hashtags: matched as their word, except one the tokenizer keeps whole across a dot or an underscore.
  '#order',
  '#ref.und',
  '#re#fund',
  'a#refund',
  '##order',
  '#refund.',
  '#٣٤',
  '#والتوصيل',
  '#کتاب',
  '#re_fund',
  // A hashtag with an underscore is one token no plain phrase is; ones that are not only that are left open.
  '#order_desk',
  '#re_fund_',
  '#_refund',
  '#re_fund.x',
  '#re_fund😀',
  '#re_fund,',
  '#שלום_סוף',
  '#re_fundשלום',
  '#ref_und#x',
  'x#re_fund',
  '##re_fund',
  '#заказ_ёлка',
  '#re_fu\u0301nd',
  '#سعر_کتاب',
  '#www_refund',
  '#میرم',
  '#میروم',
  '#',
  '# refund',
  // What makes one chunk (text between spaces) inexact, beside exact ones: letters an invisible joins into a word
  // normaliseText then joins to its neighbour (ها, می), a lone mark (a token the fold does not see), emoji.
  'ه\u200Cا',
  'م\u200Cی',
  'ها😀',
  '😀ها',
  '\u0301',
  'دانش',
  'اموز',
  'کتاب',
  'ר\u05B0fund',
  // Chunks normaliseText keeps apart from their neighbours (no Arabic-script letter), and ones it may drop or split.
  '@order_desk',
  '👍🏽!',
  '😀،',
  '#ref_und،',
  '\u{1F3FD}',
  '\u200D',
  '\uFE0F',
  '😀\u200B',
  '😀\u200Bها',
  '،😀',
  '۹😀',
];
const SEPARATORS = [' ', ' ', ' ', ', ', '. ', '!', '?', '؟ ', '-', '\n', '(', ''];

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

function text(random: () => number, tricky: boolean): string {
  let out = '';
  const words = 1 + Math.floor(random() * 8);
  for (let i = 0; i < words; i++) out += pick(tricky && random() < 0.2 ? TRICKY : WORDS, random) + pick(SEPARATORS, random);
  return out;
}

describe('findPhrase: containsAny/containsAll decided from the fold', () => {
  // matchOptions(): a rule's defaults, with the informal spellings (a phrase is looked for under each of them).
  for (const options of [
    {},
    { accents: 'match' as const },
    { unifyTehMarbuta: true },
    { clitics: false },
    matchOptions(),
  ] as NormaliseOptions[]) {
    it(`never contradicts the token path (${JSON.stringify(options)})`, () => {
      const fold = textFold(options);
      const random = seeded(1_207);
      const verdicts = { [ABSENT]: 0, [PRESENT]: 0, [MAYBE]: 0 };
      for (let round = 0; round < 20_000; round++) {
        const input = text(random, round % 2 === 0);
        const phrase = phraseTokens(
          random() < 0.3 ? `${pick(WORDS, random)} ${pick(WORDS, random)}` : pick([...WORDS, ...TRICKY], random),
          options,
        );
        if (phrase.length === 0) continue;
        const folded = fold.text(input);
        const spellingVerdicts = fold.spellings(phrase).map((spelling) => findPhrase(folded, fold.foldedPhrase(spelling, spelling)));
        const verdict = spellingVerdicts.includes(PRESENT) ? PRESENT : spellingVerdicts.includes(MAYBE) ? MAYBE : ABSENT;
        const truth = containsPhrase(textTokens(input, options), phrase, options.clitics !== false);
        verdicts[verdict]++;
        if (verdict === PRESENT) expect(truth, `${JSON.stringify(input)} holds ${JSON.stringify(phrase)}`).toBe(true);
        if (verdict === ABSENT) expect(truth, `${JSON.stringify(input)} lacks ${JSON.stringify(phrase)}`).toBe(false);
      }
      // The fold decides most cases both ways, and leaves some open.
      expect(verdicts[PRESENT]).toBeGreaterThan(100);
      expect(verdicts[ABSENT]).toBeGreaterThan(100);
      expect(verdicts[MAYBE]).toBeGreaterThan(0);
    });
  }

  // Words behind stacked prefixes, phrases that start with a prefix letter themselves, the article kept (البانيا is
  // not بانيا), Hebrew stacks, a prefix before another script, hashtags and informal spellings behind a prefix.
  const PREFIXED = [
    'بيت',
    'وبيت',
    'فبيت',
    'وبالبيت',
    'ولبيت',
    'وبكتاب',
    'فللناس',
    'وللبيت',
    'بحر',
    'وبحر',
    'لبحر',
    'ولبحر',
    'ببحر',
    'ولد',
    'وولد',
    'فولد',
    'بانيا',
    'وبانيا',
    'البانيا',
    'والبانيا',
    'بي',
    'وبي',
    'בית',
    'ובית',
    'ובבית',
    'ושבית',
    'וכשהבית',
    'ומהבית',
    'הבית',
    'שנת',
    'ושנת',
    'והshop',
    'وshop',
    'shop',
    'وبیت‌ها',
    '#وبيت',
    '#بيت',
    'وبيت😀',
    'https://x.re/وبيت',
    'ومیرم',
    'میرم',
    'ومیروم',
  ];

  for (const options of [{}, { clitics: false }, matchOptions()] as NormaliseOptions[]) {
    it(`decides a word behind prefix letters as the token path does (${JSON.stringify(options)})`, () => {
      const fold = textFold(options);
      const random = seeded(4_211);
      const pool = [...WORDS, ...PREFIXED];
      let decidedBehindPrefix = 0;
      for (let round = 0; round < 20_000; round++) {
        let input = '';
        const words = 1 + Math.floor(random() * 6);
        for (let i = 0; i < words; i++) {
          input += pick(random() < 0.6 ? PREFIXED : random() < 0.7 ? WORDS : TRICKY, random) + pick(SEPARATORS, random);
        }
        const phrase = phraseTokens(random() < 0.3 ? `${pick(pool, random)} ${pick(pool, random)}` : pick(pool, random), options);
        // Only a phrase's own spelling is decided behind a prefix (a containsAny of one-spelling phrases).
        if (phrase.length === 0 || fold.spellings(phrase).length !== 1) continue;
        // A phrase may opt out of its rule's prefixes.
        const clitics = options.clitics !== false && random() < 0.8;
        const folded = fold.text(input);
        const open = findPhrase(folded, fold.foldedPhrase(phrase, phrase));
        const verdict = findPhrase(folded, { ...fold.foldedPhrase(phrase, phrase), prefixes: clitics ? ANY_PREFIX : NO_PREFIX });
        const truth = containsPhrase(textTokens(input, options), phrase, clitics);
        if (open === MAYBE && verdict !== MAYBE) decidedBehindPrefix++;
        if (open !== MAYBE) expect(verdict, `${JSON.stringify(input)} and ${JSON.stringify(phrase)}`).toBe(open);
        if (verdict === PRESENT) expect(truth, `${JSON.stringify(input)} holds ${JSON.stringify(phrase)} (clitics ${clitics})`).toBe(true);
        if (verdict === ABSENT) expect(truth, `${JSON.stringify(input)} lacks ${JSON.stringify(phrase)} (clitics ${clitics})`).toBe(false);
      }
      // Without clitics the fold never marks a word start behind prefix letters, so nothing is left open for them.
      if (options.clitics !== false) expect(decidedBehindPrefix).toBeGreaterThan(100);
    });
  }

  it('decides stacked prefixes, and leaves a hashtag or an informal word behind a prefix to the tokens', () => {
    const options = matchOptions();
    const fold = textFold(options);
    const verdict = (text: string, phrase: string, clitics = true): number => {
      const tokens = phraseTokens(phrase, options);
      const truth = containsPhrase(textTokens(text, options), tokens, clitics);
      const found = findPhrase(fold.text(text), { ...fold.foldedPhrase(tokens, tokens), prefixes: clitics ? ANY_PREFIX : NO_PREFIX });
      if (found === PRESENT) expect(truth, `${text} holds ${phrase}`).toBe(true);
      if (found === ABSENT) expect(truth, `${text} lacks ${phrase}`).toBe(false);
      return found;
    };
    expect(verdict('اشتريت وبالبيت', 'بيت')).toBe(ABSENT);
    expect(verdict('اشتريت وببيت', 'بيت')).toBe(PRESENT);
    expect(verdict('اشتريت وببيت', 'بيت', false)).toBe(ABSENT);
    expect(verdict('سافرت والبانيا', 'بانيا')).toBe(ABSENT);
    expect(verdict('سافرت وبانيا', 'بانيا')).toBe(PRESENT);
    expect(verdict('ولبحر كبير', 'بحر كبير')).toBe(PRESENT);
    expect(verdict('ולבית גדול', 'בית גדול')).toBe(PRESENT);
    expect(verdict('וכשבית', 'בית')).toBe(PRESENT);
    expect(verdict('#وبيت', 'بيت')).toBe(MAYBE);
  });

  it('calls a fold exact only when its tokens are plain', () => {
    const fold = textFold({});
    expect(fold.text('Refund my ORDER, please!').exact).toBe(true);
    expect(fold.text('سعر كتاب؟').exact).toBe(true);
    expect(fold.text('my #order, #refund').exact).toBe(true);
    for (const inexact of [
      'my #order.now',
      'my #order_now',
      'my @order',
      'see www.shop.com',
      'من می خواهم',
      'کتاب ها',
      'a😀b',
      're\u200Cfund',
      'x\u0301y',
    ]) {
      expect(fold.text(inexact).exact, inexact).toBe(false);
    }
  });

  it('calls a hashtag of an informal spelling inexact: its token keeps the spelling, the word alone is read as formal', () => {
    const options = matchOptions();
    const fold = textFold(options);
    const formal = phraseTokens('میروم', options);
    expect(containsPhrase(textTokens('من میرم', options), formal)).toBe(true);
    expect(containsPhrase(textTokens('من #میرم', options), formal)).toBe(false);
    expect(fold.text('من #میروم').exact).toBe(true);
    expect(fold.text('من #میرم').exact).toBe(false);
    const verdicts = fold.spellings(formal).map((spelling) => findPhrase(fold.text('من #میرم'), fold.foldedPhrase(spelling, spelling)));
    expect(verdicts).not.toContain(PRESENT);
  });

  it('decides a phrase in the chunks it can read, and leaves open one a chunk it cannot read may change', () => {
    const options = matchOptions();
    const fold = textFold(options);
    const verdict = (text: string, phrase: string): number => {
      const tokens = phraseTokens(phrase, options);
      const truth = containsPhrase(textTokens(text, options), tokens, true);
      const found = findPhrase(fold.text(text), fold.foldedPhrase(tokens, tokens));
      if (found === PRESENT) expect(truth, `${text} holds ${phrase}`).toBe(true);
      if (found === ABSENT) expect(truth, `${text} lacks ${phrase}`).toBe(false);
      return found;
    };
    // An emoji, a handle or an underscore leave the other chunks readable, but for the ones beside them.
    expect(verdict('refund now 😀', 'refund')).toBe(PRESENT);
    expect(verdict('@order_desk please, my refund', 'my refund')).toBe(PRESENT);
    expect(verdict('refund #order_now', 'order')).toBe(ABSENT);
    expect(verdict('refund #order_now', 'refund')).toBe(PRESENT);
    expect(verdict('refund #order_now, please', 'order')).toBe(MAYBE);
    expect(verdict('refund #سعر_کتاب', 'کتاب')).toBe(MAYBE);
    // Beside a chunk with no Arabic-script letter normaliseText joins nothing: the words there are read as they are.
    expect(verdict('@order_desk my refund', 'my refund')).toBe(PRESENT);
    expect(verdict('refund 👍🏽!', 'refund')).toBe(PRESENT);
    expect(verdict('کتاب 😀، سلام', 'کتاب')).toBe(PRESENT);
    // An inexact chunk with Arabic-script letters may be joined to its neighbour: the neighbour stays open.
    expect(verdict('کتاب م\u200Cی😀', 'کتاب')).toBe(MAYBE);
    // A lone mark is a token the fold does not see: the words around it are not consecutive.
    expect(verdict('refund \u0301 order', 'refund order')).toBe(MAYBE);
    // An invisible joins letters into a suffix or a prefix, which normaliseText joins to the word beside it.
    expect(verdict('کتاب ه\u200Cا', 'کتاب')).toBe(MAYBE);
    expect(verdict('کتاب م\u200Cی خواهم', 'خواهم')).toBe(MAYBE);
    expect(verdict('کتاب م\u200Cی خواهم', 'کتاب')).toBe(MAYBE);
    // A suffix the fold reads before an emoji is still a word normaliseText joins.
    expect(verdict('کتاب ها😀', 'کتاب')).toBe(MAYBE);
    expect(verdict('سلام کتاب م\u200Cی خواهم', 'سلام')).toBe(PRESENT);
  });

  it('finds a phrase of several tokens only where the tokens are', () => {
    const fold = textFold({});
    const phrase = fold.foldedPhrase(['re', 'fund'], ['re', 'fund']);
    expect(findPhrase(fold.text('a re fund'), phrase)).toBe(PRESENT);
    expect(findPhrase(fold.text('a refund'), phrase)).toBe(ABSENT);
    expect(findPhrase(fold.text('a ref und'), phrase)).toBe(ABSENT);
    expect(findPhrase(fold.text('a re\u200Cfund'), phrase)).toBe(MAYBE);
  });
});

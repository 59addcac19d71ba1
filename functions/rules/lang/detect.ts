import { type ArabicScriptLanguage, type ArabicScriptScores, arabicScriptScores, rankArabicScript } from './arabic-script.js';
import { cyrillicLanguage, fitsCyrillicAlphabet, withCyrillicLetters } from './cyrillic.js';
import { type FastTextLanguageModel, type LanguageProbabilities, loadFastText } from './fasttext.js';
import { doubtsShCedilla, SH_CEDILLA_LANGUAGES, withSchwa, withTurkicLetters } from './latin.js';
import { lexiconScores } from './lexicon.js';
import { ngramProbabilities } from './ngrams.js';
import { dominantScript, SINGLE_LANGUAGE_SCRIPTS } from './script.js';

/**
 * Language detection for posts whose platform did not say. Scripts that settle the language
 * (Hebrew, Greek, Hangul, …), the Arabic script (Persian, Arabic, Urdu by their own letters, marks and
 * words) and Cyrillic letters that settle it (Kazakh, Ukrainian) are decided by rules; other Latin and
 * Cyrillic text goes to CLD3 (cld3-asm, Google's Compact Language Detector v3 compiled to WebAssembly),
 * loaded on first use; where CLD3 does not decide (short or unreliable), the commonest words of each
 * language of the script (lexicon.ts), fastText's model (fasttext.ts, loaded on the first such text) and
 * Lingua's character n-gram models (ngrams.ts, read per script on the first such text) may choose another
 * answer; the n-gram models also break the ties the Arabic script's letters leave. Each answer says whether the text
 * decided it: short text often cannot, and then the priors (language-priors.ts) may. Accuracy and the
 * choice of model are in docs/language-detection.md.
 */

export interface Cld3 {
  findLanguage(text: string): { language: string; probability: number; is_reliable: boolean };
}

async function loadCld3(): Promise<Cld3> {
  const { loadModule } = await import('cld3-asm');
  const factory = await loadModule();
  // A social post is short: predict from 1 byte up, read at most 1 KB.
  return factory.create(1, 1024);
}

/** The CLD3 codes that differ from the ones Foghorn uses. */
const CLD3_CODES: Readonly<Record<string, string>> = {
  iw: 'he',
  'bg-Latn': 'bg',
  'ru-Latn': 'ru',
  'zh-Latn': 'zh',
  'ja-Latn': 'ja',
  fil: 'tl',
};

/** Cyrillic languages sharing some of Kazakh's letters, which CLD3 may name instead. */
const KAZAKH_NEIGHBOURS = new Set(['kk', 'ky', 'tt', 'ba', 'tg', 'mn', 'be']);

/** At most this much text is read: enough for a confident guess, bounded cost for enormous posts. */
const MAX_DETECT_LENGTH = 1000;
const URL_OR_HANDLE = /(?:https?:\/\/|www\.)\S+|[@#][\p{L}\p{N}_]+/gu;

/**
 * Below this many letters a model's answer is a guess (a word or two); the text decides only on
 * evidence a rule trusts (a script of its own, letters only one language has).
 */
export const SHORT_TEXT_LETTERS = 20;
/**
 * Below this many letters CLD3's reliable answer is still put to the votes (the lexicon, fastText, the n-gram models,
 * CLD3's own answer among them): a short sentence is a few words, and CLD3 called "Do you think I'm stupid or
 * something?" Zulu and "Russell John anaripoti katika blogu yake:" Chichewa, reliably. Measured at 20 (the votes only
 * below SHORT_TEXT_LETTERS), 30, 40, 60, 80, 120 and on every text: on the corpus 40 and more gain one Swahili
 * sentence and lose nothing; on a scratch set of Tatoeba sentences (docs/language-detection.md) Turkish, Swahili and
 * English sentences gain up to 80 and no further; on every text loses a Swahili sentence on the peer sample.
 */
const CHECKED_LETTERS = 80;
/** Arabic-script evidence: the best language must lead by this much (one telling letter or word). */
const ARABIC_SCRIPT_MARGIN = 2;

/**
 * What gave the text's answer, for --explain: a script of its own, telling letters or words (the Arabic
 * script, Kazakh, Ukrainian), CLD3, the commonest words, or fastText's or the n-gram models' vote on text
 * the letters or CLD3 left undecided.
 */
export type DetectionStage = 'script' | 'letters' | 'cld3' | 'lexicon' | 'fasttext' | 'ngrams';

/** What the text alone says. */
export interface TextLanguage {
  /** The best answer from the text, or undefined (no letters, or a model that could not load). */
  lang: string | undefined;
  /** The dominant script, undefined for text without letters. */
  script: string | undefined;
  /** True when the text settles it; false when a prior (platform, author, channel) may choose instead. */
  decisive: boolean;
  /** Which stage gave `lang` (undefined when there is none). */
  stage?: DetectionStage;
}

export interface DetectorOptions {
  loadModel?: () => Promise<Cld3>;
  /** fastText's model for short text CLD3 did not decide; a model that cannot load fails the detection. */
  loadFastText?: () => Promise<FastTextLanguageModel>;
  /**
   * The team config's `language.expected`: text that does not decide is read as the likeliest of these
   * languages written in its script (any language when none is). What decides is never restricted.
   */
  expected?: readonly string[];
}

export type TextLanguageDetector = (text: string) => Promise<TextLanguage>;
export type LanguageDetector = (text: string) => Promise<string | undefined>;

function letterCount(text: string): number {
  return text.match(/\p{L}/gu)?.length ?? 0;
}

/**
 * A detector with its own CLD3 instance, loaded on first need. If CLD3 cannot load (a bundle
 * without its module, no WebAssembly), detection degrades to the script rules instead of failing
 * the evaluation: Cyrillic reads as Russian, other Latin-script text as unknown.
 */
export function createTextLanguageDetector(options: DetectorOptions = {}): TextLanguageDetector {
  const loadModel = options.loadModel ?? loadCld3;
  const loadVoter = options.loadFastText ?? loadFastText;
  let model: Promise<Cld3 | undefined> | undefined;
  let voter: Promise<FastTextLanguageModel> | undefined;
  const expected = options.expected === undefined || options.expected.length === 0 ? undefined : new Set(options.expected);
  return async (text) => {
    const sample = text.slice(0, MAX_DETECT_LENGTH).replace(URL_OR_HANDLE, ' ');
    const script = dominantScript(sample);
    if (script === undefined) return { lang: undefined, script, decisive: false };
    const letterTotal = letterCount(sample);
    const short = letterTotal < SHORT_TEXT_LETTERS;
    const single = SINGLE_LANGUAGE_SCRIPTS[script];
    if (single !== undefined) return { lang: single, script, decisive: true, stage: 'script' };
    if (script === 'arabic') {
      const scores = arabicScriptScores(sample);
      const ranked = rankArabicScript(scores);
      const [best, second] = ranked;
      const decisive = scores[best!] - scores[second!] >= ARABIC_SCRIPT_MARGIN;
      if (decisive) return { lang: best, script, decisive, stage: 'letters' };
      const voted = withArabicNgrams(scores, sample);
      const guess = voted.find((lang) => expected?.has(lang)) ?? voted[0];
      return {
        lang: guess,
        script,
        decisive,
        stage: guess === (ranked.find((lang) => expected?.has(lang)) ?? best) ? 'letters' : 'ngrams',
      };
    }
    let hint: string | undefined;
    if (script === 'cyrillic') {
      const letters = cyrillicLanguage(sample);
      // Kazakh's own letters settle it; і or ы alone (in Kazakh too) only on longer text.
      if (letters.lang !== undefined) {
        if (short && letters.lang !== 'kk') {
          if (kazakhByLexicon(sample, letters.lang)) return { lang: 'kk', script, decisive: false, stage: 'lexicon' };
        }
        return { lang: letters.lang, script, decisive: letters.lang === 'kk' || !short, stage: 'letters' };
      }
      hint = letters.hint;
    }
    model ??= loadModel().catch(() => undefined);
    const cld3 = await model;
    const fallback = hint ?? (script === 'cyrillic' ? 'ru' : undefined);
    const letters = (stage: DetectionStage) => (fallback === undefined ? undefined : stage);
    if (!cld3) return { lang: fallback, script, decisive: false, stage: letters('letters') };
    const result = cld3.findLanguage(sample);
    const language = CLD3_CODES[result.language] ?? result.language;
    if (language === 'und') return { lang: fallback, script, decisive: false, stage: letters('letters') };
    if (hint === 'kk') {
      // Kyrgyz, Tatar, … stand only where their alphabet has every letter the text has beyond Russian's, and on short
      // text only if the team expects them and not Kazakh, or the two languages' commonest words say so.
      const neighbour =
        KAZAKH_NEIGHBOURS.has(language) &&
        fitsCyrillicAlphabet(language, sample) &&
        (!short || shortNeighbourStands(language, sample, expected));
      const lang = neighbour ? language : 'kk';
      return { lang, script, decisive: !short, stage: lang === language ? 'cld3' : 'letters' };
    }
    if (script === 'cyrillic' && !result.is_reliable && language !== 'ru') {
      return kazakhWordsWithoutOwnLetters(sample)
        ? { lang: 'kk', script, decisive: false, stage: 'lexicon' }
        : { lang: 'ru', script, decisive: false, stage: 'letters' };
    }
    let decided = result.is_reliable && !short;
    let chosen = { lang: language, stage: 'cld3' as DetectionStage };
    if (!decided || letterTotal < CHECKED_LETTERS) {
      voter ??= loadVoter();
      // Longer text keeps every language: a German sentence CLD3 is unsure of is not the team's English.
      chosen = withVotes(language, result.probability, sample, script, (await voter).languages(sample), short ? expected : undefined);
      // CLD3 said reliable, the votes say otherwise: the text does not settle it.
      if (chosen.lang !== language) decided = false;
    }
    if (script === 'latin' && doubtsShCedilla(chosen.lang, sample)) {
      // On short text only the languages that write ş are asked: a model that has never seen ş scores the text's other
      // letters alone, and 'ŞARKICIYI' read as Somali. Longer text asks every language, so a Turkish place in an
      // English sentence stays English.
      const [best] = [...ngramProbabilities(sample, script, short ? SH_CEDILLA_LANGUAGES : undefined)].sort((a, b) => b[1] - a[1]);
      if (best !== undefined && (best[0] === 'tr' || best[0] === 'az')) chosen = { lang: withSchwa(best[0], sample), stage: 'ngrams' };
    }
    const lang =
      script === 'cyrillic'
        ? withCyrillicLetters(chosen.lang, sample)
        : script === 'latin'
          ? withSchwa(withTurkicLetters(chosen.lang, sample), sample)
          : chosen.lang;
    if (lang !== chosen.lang && script === 'cyrillic' && kazakhWordsWithoutOwnLetters(sample)) {
      return { lang: 'kk', script, decisive: decided, stage: 'lexicon' };
    }
    return { lang, script, decisive: decided, stage: lang === chosen.lang ? chosen.stage : 'letters' };
  };
}

/** Measured on the corpus at 0, 1, 2, 3, 6 and 10: 1 is best at word pairs, equal at single words. */
const CLD3_WEIGHT = 1;
/**
 * fastText's probability for a language, added to its score: measured on the corpus at 0, 1, 2, 3 and 5;
 * 1 gains on English, Turkish and Russian and loses nowhere, 2 and more lose Swahili (lid.176.ftz barely
 * knows short Swahili: 8% of single words alone).
 */
const FASTTEXT_WEIGHT = 1;
/**
 * Lingua's n-gram models' probability for a language (ngrams.ts), added to its score beside fastText's: measured on
 * the corpus at 0, 1, 2, 3, 5, 8, 12 and 20 (all five orders), then 5, 8 and 12 with the shipped models; 8 is best at
 * word pairs and single words (their means 95.7 and 87.4), 12 and more lose English and Turkish single words.
 */
const NGRAM_WEIGHT = 8;
/**
 * The n-gram models' probability for Persian, Arabic and Urdu added to the letters' evidence where that does not
 * decide: measured at 0.3 to 10, the same from 0.3 to 2 (it only breaks the letters' ties), 4 and more lose Arabic.
 */
const ARABIC_NGRAM_WEIGHT = 1;

/** Persian, Arabic and Urdu by their letters' evidence plus ARABIC_NGRAM_WEIGHT times the n-gram models' probability, best first. */
function withArabicNgrams(scores: ArabicScriptScores, text: string): ArabicScriptLanguage[] {
  const probabilities = ngramProbabilities(text, 'arabic');
  const voted = { ...scores };
  for (const lang of ['fa', 'ar', 'ur'] as const) voted[lang] += ARABIC_NGRAM_WEIGHT * (probabilities.get(lang) ?? 0);
  return rankArabicScript(voted);
}

/**
 * CLD3's answer or the language the lexicon (its commonest words, and the letter trigrams of those
 * words) with fastText's and the n-gram models' votes says explains the text better: CLD3's answer gets CLD3_WEIGHT
 * times its probability on top of its score (a language the lexicon has no list for scores 0: no word known,
 * trigrams average), every language FASTTEXT_WEIGHT times fastText's probability for it and NGRAM_WEIGHT times the
 * n-gram models'. The stage is the last vote that changed the answer: fastText's over the lexicon alone, the n-grams'
 * over both.
 */
function withVotes(
  language: string,
  probability: number,
  text: string,
  script: string,
  fastText: LanguageProbabilities,
  expected?: ReadonlySet<string>,
): { lang: string; stage: DetectionStage } {
  const all = lexiconScores(text, script);
  const among = expected === undefined ? [] : all.filter((score) => expected.has(score.lang));
  // Restricted to the team's languages of this script, CLD3's answer counts only if it is one of them.
  const lexicon = among.length > 0 ? among : all;
  const restricted = among.length > 0 && !expected!.has(language);
  const ngrams = ngramProbabilities(text, script);
  const pick = (withFastText: boolean, withNgrams: boolean): string => {
    const vote = (lang: string) =>
      (withFastText ? FASTTEXT_WEIGHT * (fastText.get(lang) ?? 0) : 0) + (withNgrams ? NGRAM_WEIGHT * (ngrams.get(lang) ?? 0) : 0);
    const scores = lexicon.map((score) => ({ lang: score.lang, score: score.score + vote(score.lang) })).sort((a, b) => b.score - a.score);
    const best = scores[0];
    if (best === undefined) return language;
    if (restricted) return withSchwa(best.lang, text);
    const own = scores.find((score) => score.lang === language)?.score ?? vote(language);
    return best.score > own + CLD3_WEIGHT * probability ? withSchwa(best.lang, text) : language;
  };
  const voted = pick(true, true);
  if (voted !== pick(true, false)) return { lang: voted, stage: 'ngrams' };
  if (voted !== pick(false, false)) return { lang: voted, stage: 'fasttext' };
  return { lang: voted, stage: voted === language ? 'cld3' : 'lexicon' };
}

/**
 * Whether a neighbour of Kazakh (Kyrgyz, Tatar, …) that CLD3 names for a short text with some of Kazakh's letters
 * stands: the team's `expected` chooses where it names one of the two; otherwise their commonest words do (Kazakh
 * 'маңызды' was Kyrgyz only because CLD3 guessed so).
 */
function shortNeighbourStands(neighbour: string, text: string, expected: ReadonlySet<string> | undefined): boolean {
  const kazakh = expected === undefined || expected.has('kk');
  const other = expected === undefined || expected.has(neighbour);
  if (kazakh !== other) return other;
  return !kazakhByLexicon(text, neighbour);
}

/**
 * Where a model named a Cyrillic language without any of the letters only its alphabet has, the text is Russian's,
 * or Kazakh's when Kazakh's commonest words know more of its words than Russian's do: Kazakh writes many words with
 * Russian's letters alone (саяси, кезде), which CLD3 calls Serbian or Kyrgyz. A word both lists know (президент)
 * stays Russian.
 */
function kazakhWordsWithoutOwnLetters(text: string): boolean {
  const scores = lexiconScores(text, 'cyrillic', new Set(['kk', 'ru']));
  const known = (lang: string) => scores.find((score) => score.lang === lang)?.known ?? 0;
  return known('kk') > known('ru');
}

/** Kazakh writes і as Ukrainian does and ы as Russian does: on short text its commonest words may say it is Kazakh. */
function kazakhByLexicon(text: string, byLetters: string): boolean {
  const [best] = lexiconScores(text, 'cyrillic', new Set(['kk', byLetters]));
  return best !== undefined && best.lang === 'kk' && best.score > 0;
}

/** The text's language alone (no priors): what `npm run lang:accuracy` measures. */
export function createLanguageDetector(options: DetectorOptions = {}): LanguageDetector {
  const detect = createTextLanguageDetector(options);
  return async (text) => (await detect(text)).lang;
}

/** The shared detector the evaluator uses. */
export const detectTextLanguage: TextLanguageDetector = createTextLanguageDetector();
export const detectLanguage: LanguageDetector = async (text) => (await detectTextLanguage(text)).lang;

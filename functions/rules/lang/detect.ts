import { arabicScriptScores, rankArabicScript } from './arabic-script.js';
import { cyrillicLanguage, withCyrillicLetters } from './cyrillic.js';
import { withSchwa, withTurkicLetters } from './latin.js';
import { lexiconScores } from './lexicon.js';
import { dominantScript, SINGLE_LANGUAGE_SCRIPTS } from './script.js';

/**
 * Language detection for posts whose platform did not say. Scripts that settle the language
 * (Hebrew, Greek, Hangul, …), the Arabic script (Persian, Arabic, Urdu by their own letters, marks and
 * words) and Cyrillic letters that settle it (Kazakh, Ukrainian) are decided by rules; other Latin and
 * Cyrillic text goes to CLD3 (cld3-asm, Google's Compact Language Detector v3 compiled to WebAssembly),
 * loaded on first use; where CLD3 does not decide (short or unreliable), the commonest words of each
 * language of the script (lexicon.ts) may choose another answer. Each answer says whether the text
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
const KAZAKH_NEIGHBOURS = new Set(['kk', 'ky', 'tt', 'ba', 'tg', 'mn']);

/** At most this much text is read: enough for a confident guess, bounded cost for enormous posts. */
const MAX_DETECT_LENGTH = 1000;
const URL_OR_HANDLE = /(?:https?:\/\/|www\.)\S+|[@#][\p{L}\p{N}_]+/gu;

/**
 * Below this many letters a model's answer is a guess (a word or two); the text decides only on
 * evidence a rule trusts (a script of its own, letters only one language has).
 */
export const SHORT_TEXT_LETTERS = 20;
/** Arabic-script evidence: the best language must lead by this much (one telling letter or word). */
const ARABIC_SCRIPT_MARGIN = 2;

/** What the text alone says. */
export interface TextLanguage {
  /** The best answer from the text, or undefined (no letters, or a model that could not load). */
  lang: string | undefined;
  /** The dominant script, undefined for text without letters. */
  script: string | undefined;
  /** True when the text settles it; false when a prior (platform, author, channel) may choose instead. */
  decisive: boolean;
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
export function createTextLanguageDetector(options: { loadModel?: () => Promise<Cld3> } = {}): TextLanguageDetector {
  const loadModel = options.loadModel ?? loadCld3;
  let model: Promise<Cld3 | undefined> | undefined;
  return async (text) => {
    const sample = text.slice(0, MAX_DETECT_LENGTH).replace(URL_OR_HANDLE, ' ');
    const script = dominantScript(sample);
    if (script === undefined) return { lang: undefined, script, decisive: false };
    const short = letterCount(sample) < SHORT_TEXT_LETTERS;
    const single = SINGLE_LANGUAGE_SCRIPTS[script];
    if (single !== undefined) return { lang: single, script, decisive: true };
    if (script === 'arabic') {
      const scores = arabicScriptScores(sample);
      const [best, second] = rankArabicScript(scores);
      return { lang: best, script, decisive: scores[best!] - scores[second!] >= ARABIC_SCRIPT_MARGIN };
    }
    let hint: string | undefined;
    if (script === 'cyrillic') {
      const letters = cyrillicLanguage(sample);
      // Kazakh's own letters settle it; і or ы alone (in Kazakh too) only on longer text.
      if (letters.lang !== undefined) {
        if (short && letters.lang !== 'kk') {
          if (kazakhByLexicon(sample, letters.lang)) return { lang: 'kk', script, decisive: false };
        }
        return { lang: letters.lang, script, decisive: letters.lang === 'kk' || !short };
      }
      hint = letters.hint;
    }
    model ??= loadModel().catch(() => undefined);
    const cld3 = await model;
    const fallback = hint ?? (script === 'cyrillic' ? 'ru' : undefined);
    if (!cld3) return { lang: fallback, script, decisive: false };
    const result = cld3.findLanguage(sample);
    const language = CLD3_CODES[result.language] ?? result.language;
    if (language === 'und') return { lang: fallback, script, decisive: false };
    if (hint === 'kk') return { lang: KAZAKH_NEIGHBOURS.has(language) ? language : 'kk', script, decisive: !short };
    if (script === 'cyrillic' && !result.is_reliable && language !== 'ru') return { lang: 'ru', script, decisive: false };
    const decided = result.is_reliable && !short;
    const chosen = !decided ? withLexicon(language, result.probability, sample, script) : language;
    const lang =
      script === 'cyrillic' ? withCyrillicLetters(chosen, sample) : script === 'latin' ? withTurkicLetters(chosen, sample) : chosen;
    return { lang, script, decisive: decided && chosen === language };
  };
}

/** Measured on the corpus at 0, 1, 2, 3, 6 and 10: 1 is best at word pairs, equal at single words. */
const CLD3_WEIGHT = 1;

/**
 * CLD3's answer or the language the lexicon (its commonest words, and the letter trigrams of those
 * words) says explains the text better: CLD3's answer gets CLD3_WEIGHT times its probability on top of
 * its lexicon score (a language the lexicon has no list for scores 0: no word known, trigrams average).
 */
function withLexicon(language: string, probability: number, text: string, script: string): string {
  const scores = lexiconScores(text, script);
  const best = scores[0];
  if (best === undefined) return language;
  const cld3Score = (scores.find((score) => score.lang === language)?.score ?? 0) + CLD3_WEIGHT * probability;
  return best.score > cld3Score ? withSchwa(best.lang, text) : language;
}

/** Kazakh writes і as Ukrainian does and ы as Russian does: on short text its commonest words may say it is Kazakh. */
function kazakhByLexicon(text: string, byLetters: string): boolean {
  const [best] = lexiconScores(text, 'cyrillic', new Set(['kk', byLetters]));
  return best !== undefined && best.lang === 'kk' && best.score > 0;
}

/** The text's language alone (no priors): what `npm run lang:accuracy` measures. */
export function createLanguageDetector(options: { loadModel?: () => Promise<Cld3> } = {}): LanguageDetector {
  const detect = createTextLanguageDetector(options);
  return async (text) => (await detect(text)).lang;
}

/** The shared detector the evaluator uses. */
export const detectTextLanguage: TextLanguageDetector = createTextLanguageDetector();
export const detectLanguage: LanguageDetector = async (text) => (await detectTextLanguage(text)).lang;

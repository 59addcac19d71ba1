/**
 * Script-level language decisions: fast, deterministic, and more reliable than n-gram models on
 * short posts where a script's own letters settle the question (Hebrew, Greek, Hangul, …).
 */

const SCRIPTS: ReadonlyArray<[name: string, pattern: RegExp]> = [
  ['arabic', /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/gu],
  ['hebrew', /[\u0590-\u05FF\uFB1D-\uFB4F]/gu],
  ['cyrillic', /\p{Script=Cyrillic}/gu],
  ['latin', /\p{Script=Latin}/gu],
  ['greek', /\p{Script=Greek}/gu],
  ['hangul', /\p{Script=Hangul}/gu],
  ['kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/gu],
  ['han', /\p{Script=Han}/gu],
  ['thai', /\p{Script=Thai}/gu],
  ['devanagari', /\p{Script=Devanagari}/gu],
  ['armenian', /\p{Script=Armenian}/gu],
  ['georgian', /\p{Script=Georgian}/gu],
];

/** The script most of the letters are in, or undefined for text without letters. */
export function dominantScript(text: string): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const [name, pattern] of SCRIPTS) {
    const count = text.match(pattern)?.length ?? 0;
    if (count > bestCount) {
      best = name;
      bestCount = count;
    }
  }
  // Japanese mixes kana with Han; any kana at all means Japanese.
  if (best === 'han' && (text.match(SCRIPTS[6]![1])?.length ?? 0) > 0) return 'kana';
  return best;
}

/** Languages a script alone decides. */
export const SINGLE_LANGUAGE_SCRIPTS: Readonly<Record<string, string>> = {
  hebrew: 'he',
  greek: 'el',
  hangul: 'ko',
  kana: 'ja',
  han: 'zh',
  thai: 'th',
  armenian: 'hy',
  georgian: 'ka',
};

/**
 * The script each language is written in, for the languages not written in Latin letters (a language
 * not listed is taken to be written in Latin). A prior (the platform's language, the author's, the
 * channel's) may only choose among languages of the text's own script.
 */
const SCRIPT_OF_LANGUAGE: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(SINGLE_LANGUAGE_SCRIPTS).map(([script, lang]) => [lang, script])),
  yi: 'hebrew',
  ...Object.fromEntries(['fa', 'ar', 'ur', 'ps', 'sd', 'ckb', 'ug', 'prs'].map((lang) => [lang, 'arabic'])),
  ...Object.fromEntries(['ru', 'uk', 'be', 'bg', 'sr', 'mk', 'kk', 'ky', 'tg', 'mn', 'tt', 'ba'].map((lang) => [lang, 'cyrillic'])),
  ...Object.fromEntries(['hi', 'mr', 'ne'].map((lang) => [lang, 'devanagari'])),
};

export function scriptOfLanguage(lang: string): string {
  return SCRIPT_OF_LANGUAGE[lang] ?? 'latin';
}

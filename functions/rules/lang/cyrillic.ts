/**
 * Letters that settle a Cyrillic text's language before a model is asked. Kazakh comes first: it
 * writes і like Ukrainian and ы/э like Russian, so a rule on і or ы alone sent every Kazakh post to
 * Ukrainian or Russian. Kazakh's own letters ә ғ қ ң ө ұ ү һ say Kazakh; the other Turkic and
 * Iranian Cyrillic alphabets that share some of them (Kyrgyz, Tatar, Bashkir, Tajik, Mongolian) are
 * left to the model.
 */

const KAZAKH_LETTERS = /[әғқңөұүһ]/iu;
// ұ and the pair қ/ғ with і: Kazakh's and no other standard alphabet's.
const KAZAKH_ONLY = /ұ|[қғ].*і|і.*[қғ]/iu;
const UKRAINIAN_ONLY = /[їєґ]/iu;

/** The language the letters settle, or undefined to ask the model (which then sees `hint`). */
export function cyrillicLanguage(text: string): { lang?: string; hint?: string } {
  if (KAZAKH_ONLY.test(text)) return { lang: 'kk' };
  if (KAZAKH_LETTERS.test(text)) return { hint: 'kk' };
  if (UKRAINIAN_ONLY.test(text)) return { lang: 'uk' };
  // і with ы or э: Kazakh's or Belarusian's (ў settles Belarusian), never Ukrainian's.
  if (/і/iu.test(text)) return /[ыэ]/iu.test(text) ? (/ў/iu.test(text) ? { lang: 'be' } : { hint: 'kk' }) : { lang: 'uk' };
  // ы and э exist in Russian and Belarusian only (Kazakh's were caught above); ў is Belarusian's.
  if (/[ыэ]/iu.test(text)) return { lang: /ў/iu.test(text) ? 'be' : 'ru' };
  return {};
}

// Letters that each Cyrillic alphabet has and Russian lacks: a language named without any of its
// letters cannot be it (in its standard spelling), and the text is Russian's.
const OWN_LETTERS: Readonly<Record<string, RegExp>> = {
  sr: /[ђјљњћџ]/iu,
  mk: /[ѓќѕјљњџ]/iu,
  uk: /[іїєґ]/iu,
  be: /[іў]/iu,
  kk: /[әғқңөұүһі]/iu,
  ky: /[ңөү]/iu,
  tt: /[әөүҗңһ]/iu,
  ba: /[әөүғҡңҙҫһ]/iu,
  tg: /[ғӣқӯҳҷ]/iu,
  mn: /[өү]/iu,
};

/**
 * Whether every letter of the text that Russian lacks is in `lang`'s alphabet: a Kyrgyz answer for text with ә, ғ, қ
 * or і (Kazakh's, not Kyrgyz's) cannot be right. Languages without a list here fit any text.
 */
export function fitsCyrillicAlphabet(lang: string, text: string): boolean {
  const own = OWN_LETTERS[lang];
  if (own === undefined) return true;
  for (const letter of text.toLowerCase().match(NOT_RUSSIAN) ?? []) if (!own.test(letter)) return false;
  return true;
}

// Cyrillic letters outside Russian's alphabet.
const NOT_RUSSIAN = /[^\u0430-\u044f\u0451\P{Script=Cyrillic}]/gu;

/** `lang` unless the text lacks every letter only that alphabet has (then Russian). */
export function withCyrillicLetters(lang: string, text: string): string {
  const own = OWN_LETTERS[lang];
  return own === undefined || own.test(text) ? lang : 'ru';
}

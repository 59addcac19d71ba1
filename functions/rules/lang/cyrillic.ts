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
  if (/і/iu.test(text)) return { lang: 'uk' };
  // ы and э exist in Russian and Belarusian only (Kazakh's were caught above); ў is Belarusian's.
  if (/[ыэ]/iu.test(text)) return { lang: /ў/iu.test(text) ? 'be' : 'ru' };
  return {};
}

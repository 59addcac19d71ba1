/**
 * The Arabic-script letters every fold unifies whatever the options (normaliseText and the matcher's fold):
 * Arabic and Persian forms of yeh and kaf, alef with hamza or madda, the heh forms, Sindhi, Urdu and Sorani letters.
 */
export const ARABIC_LETTER_MAP: Readonly<Record<string, string>> = {
  '\u064A': '\u06CC', // ي Arabic yeh            -> ی Persian yeh
  '\u0649': '\u06CC', // ى alef maksura          -> ی
  '\u06D0': '\u06CC', // ې
  '\u0643': '\u06A9', // ك Arabic kaf            -> ک Persian keheh
  '\u0623': '\u0627', // أ                       -> ا
  '\u0625': '\u0627', // إ
  '\u0622': '\u0627', // آ
  '\u0671': '\u0627', // ٱ alef wasla
  '\u0672': '\u0627', // ٲ
  '\u0673': '\u0627', // ٳ
  '\u06C0': '\u0647', // ۀ heh with yeh above     -> ه
  '\u06C2': '\u0647', // ۂ
  '\u06D5': '\u0647', // ە
  '\u06C1': '\u0647', // ہ Urdu heh goal
  '\u06BE': '\u0647', // ھ do-chashmi heh (Urdu aspiration, Sorani h); its presentation forms reach it by NFKC
  '\u06AA': '\u06A9', // ڪ Sindhi swash kaf   -> ک
  '\u06CE': '\u06CC', // ێ yeh with small v    -> ی
  '\u06C3': '\u0629', // ۃ Urdu teh marbuta goal -> ة
  '\u0695': '\u0631', // ڕ Sorani heavy reh    -> ر
};

const VARIANT = new RegExp(`[${Object.keys(ARABIC_LETTER_MAP).join('')}]`, 'gu');

/**
 * The text with those letters unified, everything else as it was. The Persian spacing rewrites run on it, so a
 * variant (ي for ی, ۀ for ه) meets the same rewrite as the letter it folds to, and folding again changes nothing.
 */
export function canonicalArabicLetters(text: string): string {
  return text.replace(VARIANT, (letter) => ARABIC_LETTER_MAP[letter] ?? letter);
}

/** The Arabic-script letters normaliseText unifies whatever the options (ARABIC_LETTER_MAP) and with the layer on. */
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
};

/** The letter variants of the per-language layer (off with `layer: false`). */
export const LAYER_LETTER_MAP: Readonly<Record<string, string>> = {
  '\u06C1': '\u0647', // ہ Urdu heh goal
  '\u06BE': '\u0647', // ھ do-chashmi heh (Urdu aspiration, Sorani h); its presentation forms reach it by NFKC
  '\u06AA': '\u06A9', // ڪ Sindhi swash kaf   -> ک
  '\u06CE': '\u06CC', // ێ yeh with small v    -> ی
  '\u06C3': '\u0629', // ۃ Urdu teh marbuta goal -> ة
  '\u0695': '\u0631', // ڕ Sorani heavy reh    -> ر
};

const CANONICAL = new Uint16Array(0x100);
for (let code = 0x0600; code <= 0x06ff; code++) {
  const letter = String.fromCharCode(code);
  CANONICAL[code - 0x0600] = (ARABIC_LETTER_MAP[letter] ?? LAYER_LETTER_MAP[letter] ?? letter).charCodeAt(0);
}

/** Each code point of the Arabic block as the layer's fold writes it (any other code point as it is). */
export function canonicalArabicCode(code: number): number {
  return code >= 0x0600 && code <= 0x06ff ? (CANONICAL[code - 0x0600] as number) : code;
}

/** Each letter the fold writes for several, with all of them (itself first): ی with ي, ى, ې and ێ, and so on. */
export function arabicLetterFamilies(): Map<string, string[]> {
  const families = new Map<string, string[]>();
  for (const [variant, letter] of [...Object.entries(ARABIC_LETTER_MAP), ...Object.entries(LAYER_LETTER_MAP)]) {
    const family = families.get(letter) ?? [letter];
    family.push(variant);
    families.set(letter, family);
  }
  return families;
}

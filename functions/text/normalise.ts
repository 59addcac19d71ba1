import { ARABIC_LETTER_MAP, LAYER_LETTER_MAP } from './arabic-letters.js';
import { beforeFolding, DEFAULT_COMPOUNDS, joinAffixes } from './persian-spacing.js';
import { turkicLowerCase } from './turkic-lower-case.js';

/**
 * Text normalisation shared by every text operator (and by the compiled matcher, which
 * must agree with it exactly): pure, deterministic, no locale or environment dependence.
 *
 * Order matters: NFKC first (folds presentation forms, ligatures, full-width letters), then the
 * Persian spacing rewrites the matcher's fold repeats (persian-spacing.ts), then case folding, then
 * script-specific unification, then whitespace, then the Persian affixes written apart.
 */

export interface NormaliseOptions {
  /** `ignore` (default): "café" equals "cafe". `match`: accents on Latin letters must agree. */
  accents?: 'ignore' | 'match';
  /** Treat ة (teh marbuta) as ه, as Persian writers and informal Arabic often do. Default false. */
  unifyTehMarbuta?: boolean;
  /** Treat the hamza seats ؤ as و and ئ as ی ("مومن" = "مؤمن"). Default false. */
  unifyHamza?: boolean;
  /** Turkish and Azerbaijani casing: I lower-cases to ı, İ to i. Default false (I to i). */
  turkicCasing?: boolean;
  /** The language the rule's phrases are written in (its `match.lang`); without one, casing follows the post's language. */
  lang?: string;
  /** Persian compounds joined when written apart, as normaliseText writes them (default DEFAULT_COMPOUNDS). */
  compounds?: readonly string[];
  /** Informal → formal words, applied to tokens for matching only (informal-forms.ts). Default none. */
  informal?: ReadonlyMap<string, string>;
  /** Arabic and Hebrew proclitics: a post's word may be a phrase's word behind a prefix (clitics.ts). Default true. */
  clitics?: boolean;
  /** Phrases, as the rule writes them, matched without prefixes even with clitics on (text operators only). */
  cliticsOff?: readonly string[];
  /**
   * false: the script-wide fold alone, without the per-language layer (Persian spacing, the layer's letter
   * variants, dotless ı, hamza seats, Turkic casing): what `npm run text:match-rates` compares the layer
   * against. Never set for a rule. Default true.
   */
  layer?: boolean;
}

/** Matching reads at most this many UTF-16 units of an event's text; the rest is ignored. */
export const MAX_MATCH_TEXT_LENGTH = 10_000;

const HAMZA_SEATS: Readonly<Record<string, string>> = {
  '\u0624': '\u0648', // ؤ -> و
  '\u0626': '\u06CC', // ئ -> ی
};

const HEBREW_FINAL_FORMS: Readonly<Record<string, string>> = {
  '\u05DA': '\u05DB', // ך -> כ
  '\u05DD': '\u05DE', // ם -> מ
  '\u05DF': '\u05E0', // ן -> נ
  '\u05E3': '\u05E4', // ף -> פ
  '\u05E5': '\u05E6', // ץ -> צ
};

/** Decimal digit blocks NFKC leaves alone; each maps its ten code points onto 0-9. */
const DIGIT_ZEROS = [
  0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0be6, 0x0c66, 0x0ce6, 0x0d66, 0x0e50, 0x0ed0, 0x0f20, 0x1040, 0x17e0,
  0x1810,
];

function digitValue(code: number): number | undefined {
  for (const zero of DIGIT_ZEROS) {
    if (code >= zero && code <= zero + 9) return code - zero;
  }
  return undefined;
}

// Harakat, tanwin, superscript alef, Quranic annotation marks, standalone hamza marks, tatweel.
const ARABIC_MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED\u08D3-\u08FF\u0640]/g;
// Hebrew cantillation (teamim) and niqqud; keeps maqaf ־, paseq ׀, sof pasuq ׃ and nun hafukha ׆.
const HEBREW_MARKS = /[\u0591-\u05BD\u05BF\u05C1\u05C2\u05C4\u05C5\u05C7]/g;
// Geresh/gershayim or an ASCII quote inside a Hebrew word (צה"ל, ג'ירפה) is part of the word.
const HEBREW_WORD_QUOTE = /(?<=[\u05D0-\u05EA])["'\u05F3\u05F4](?=[\u05D0-\u05EA])/g;
// Combining marks on a Latin base letter (after NFD); other scripts keep theirs (й, Devanagari vowels).
const LATIN_WITH_MARKS = /([A-Za-z\u00C0-\u024F\u1E00-\u1EFF])([\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F]+)/g;
// Invisible format characters: ZWNJ joins (Persian half-space), the rest are dropped too.
// ZWJ stays only inside emoji sequences, where it is removed later with the other emoji modifiers.
const INVISIBLES = /[\u00AD\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
const ZERO_WIDTH_SPACE = /\u200B/g;
// Variation selectors and skin-tone modifiers: 👍🏽 equals 👍.
const EMOJI_MODIFIERS = /[\uFE0E\uFE0F]|\uD83C[\uDFFB-\uDFFF]/g;
const ZWJ = /\u200D/g;
const WHITESPACE = /\s+/gu;
/** White space other than one plain space: only then does collapsing runs of it change the text. */
const UNUSUAL_WHITESPACE = /[^\S ]| {2}/u;

/** Cuts `text` to the length matching reads, without splitting a surrogate pair. */
export function capText(text: string, maxLength = MAX_MATCH_TEXT_LENGTH): string {
  if (text.length <= maxLength) return text;
  const last = text.charCodeAt(maxLength - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? maxLength - 1 : maxLength);
}

/** Per combination of mapCharacters' options, each BMP code unit's replacement, 0 until first needed. */
const MAPPED_UNITS = new Map<number, Uint16Array>();
/** Where mapCharacters writes a changed text (it is synchronous, so one buffer serves every call). */
let mappedOut = new Uint16Array(1024);
const SHARP_S = 0xdf;

/**
 * Each character's script-specific unification (mapOne), read from a table by code unit: this runs on the text
 * of every post, and a lookup by string key per character was most of normaliseText's cost. Every replacement
 * is one unit but ß's (ss); surrogates, and so every astral code point, are left as they are, as mapOne leaves them.
 */
function mapCharacters(text: string, unifyTehMarbuta: boolean, unifyHamza: boolean, dotlessAsI: boolean, layer: boolean): string {
  const key = (unifyTehMarbuta ? 1 : 0) | (unifyHamza ? 2 : 0) | (dotlessAsI ? 4 : 0) | (layer ? 8 : 0);
  let table = MAPPED_UNITS.get(key);
  if (table === undefined) MAPPED_UNITS.set(key, (table = new Uint16Array(0x10000)));
  const mapped = (code: number): number => {
    let unit = table[code] as number;
    if (unit === 0) {
      const char = String.fromCharCode(code);
      const to = code >= 0xd800 && code <= 0xdfff ? char : mapOne(char, unifyTehMarbuta, unifyHamza, dotlessAsI, layer);
      if (to.length !== 1) throw new Error(`mapCharacters: U+${code.toString(16)} maps to ${to.length} units`);
      unit = to.charCodeAt(0);
      table[code] = unit;
    }
    return unit;
  };
  let i = 0;
  for (; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80 && (code === SHARP_S || mapped(code) !== code)) break;
  }
  if (i === text.length) return text;
  if (mappedOut.length < text.length * 2) mappedOut = new Uint16Array(text.length * 2);
  const out = mappedOut;
  let length = 0;
  for (let k = 0; k < i; k++) out[length++] = text.charCodeAt(k);
  for (; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      out[length++] = code;
    } else if (code === SHARP_S) {
      out[length++] = 0x73;
      out[length++] = 0x73;
    } else {
      out[length++] = mapped(code);
    }
  }
  let result = '';
  // apply, not a spread (several times slower), and not a TextDecoder, which would replace a lone surrogate.
  for (let at = 0; at < length; at += 4096) {
    result += String.fromCharCode.apply(null, out.subarray(at, Math.min(length, at + 4096)) as unknown as number[]);
  }
  return result;
}

/** What mapCharacters makes of one code point (at or above U+0080). */
function mapOne(char: string, unifyTehMarbuta: boolean, unifyHamza: boolean, dotlessAsI: boolean, layer: boolean): string {
  const arabic = ARABIC_LETTER_MAP[char] ?? (layer ? LAYER_LETTER_MAP[char] : undefined);
  if (arabic !== undefined) return arabic;
  if (unifyTehMarbuta && (char === '\u0629' || (layer && char === '\u06C3'))) return '\u0647';
  const seat = unifyHamza ? HAMZA_SEATS[char] : undefined;
  if (seat !== undefined) return seat;
  // dotless ı is i without its dot, like the accents dropped beside it
  if (char === '\u0131' && dotlessAsI) return 'i';
  const hebrew = HEBREW_FINAL_FORMS[char];
  if (hebrew !== undefined) return hebrew;
  const digit = digitValue(char.codePointAt(0) as number);
  if (digit !== undefined) return String(digit);
  if (char === '\u066B') return '.'; // Arabic decimal separator
  if (char === '\u066C' || char === '\u060C') return ','; // thousands separator, Arabic comma
  if (char === '\u061F') return '?';
  if (char === '\u061B') return ';';
  if (char === '\u0451') return '\u0435'; // ё -> е
  if (char === '\u03C2') return '\u03C3'; // final sigma
  if (char === '\u00DF') return 'ss';
  return char;
}

/**
 * The form every text operator compares: NFKC, case-folded, Arabic/Persian letters unified, harakat,
 * tanwin and tatweel removed, ZWNJ joined, Hebrew niqqud/cantillation removed and final forms
 * unified, native digits as ASCII, emoji modifiers removed, whitespace collapsed to single spaces.
 * Idempotent: normaliseText(normaliseText(x)) === normaliseText(x).
 */
export function normaliseText(text: string, options: NormaliseOptions = {}): string {
  const layer = options.layer !== false;
  let value = layer ? beforeFolding(text.normalize('NFKC')) : text.normalize('NFKC');
  value = layer && options.turkicCasing === true ? turkicLowerCase(value) : value.toLowerCase();
  if (options.accents !== 'match') {
    value = value.normalize('NFD').replace(LATIN_WITH_MARKS, '$1').normalize('NFC');
  }
  value = value
    .replace(INVISIBLES, '')
    .replace(ZERO_WIDTH_SPACE, ' ')
    .replace(EMOJI_MODIFIERS, '')
    .replace(ARABIC_MARKS, '')
    .replace(HEBREW_MARKS, '')
    .replace(HEBREW_WORD_QUOTE, '');
  value = mapCharacters(
    value,
    options.unifyTehMarbuta === true,
    layer && options.unifyHamza === true,
    layer && options.accents !== 'match',
    layer,
  );
  // ZWJ outside emoji carries no meaning for matching; inside emoji it glues a sequence (👩‍💻).
  value = value.replace(ZWJ, (zwj, offset: number, whole: string) => (isPictographicAround(whole, offset) ? zwj : ''));
  if (UNUSUAL_WHITESPACE.test(value)) value = value.replace(WHITESPACE, ' ');
  value = value.trim();
  return layer ? joinAffixes(value, options.compounds ?? DEFAULT_COMPOUND_FORMS) : value;
}

/** DEFAULT_COMPOUNDS as normaliseText writes them (آ as ا). */
export const DEFAULT_COMPOUND_FORMS: readonly string[] = DEFAULT_COMPOUNDS.map((compound) => compound.replaceAll('\u0622', '\u0627'));

const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;

function isPictographicAround(text: string, offset: number): boolean {
  const before = text.codePointAt(offset - 2) ?? 0;
  const beforeChar = before >= 0x10000 ? String.fromCodePoint(before) : text.charAt(offset - 1);
  const afterChar = String.fromCodePoint(text.codePointAt(offset + 1) ?? 0x20);
  return PICTOGRAPHIC.test(beforeChar) && PICTOGRAPHIC.test(afterChar);
}

import { arabicLetterFamilies, canonicalArabicCode } from './arabic-letters.js';

/**
 * Persian spacing, in the spirit of Hazm's and Shekar's spacing normalisers, for matching only: a
 * suffix, a preverb or a compound's second word is written joined, with a ZWNJ or with a space, and
 * all three must read as one word ("گفته‌اند", "گفتهاند", "گفته اند").
 *
 * Two stages. `beforeFolding` runs on the composed (NFKC) text before anything else, and the
 * matcher's fold (functions/matcher/text-fold.ts) runs it too, on the same text, so what it removes
 * or inserts never makes the fold miss a match. `joinAffixes` runs on the normalised text; the
 * words it joins to a neighbour are JOINED_WORDS, which the fold treats as context-dependent.
 */

const ARABIC_LETTER = String.raw`[\u0620-\u064A\u066E-\u06D3\u06FA-\u06FF]`;
const NOT_WORD_AFTER = String.raw`(?![\p{L}\p{M}\p{N}])`;
const NOT_WORD_BEFORE = String.raw`(?<![\p{L}\p{M}\p{N}])`;

/** Preverbs written before می/نمی ("بر می دارد", "برمی‌دارد"). */
export const PREVERBS = ['بر', 'در', 'باز', 'فرا', 'ور'] as const;
/** Suffixes written apart after any word (as normaliseText writes them: آ as ا). */
export const SUFFIXES = ['ها', 'های', 'هایی', 'هایم', 'هایت', 'هایش', 'هایمان', 'هایتان', 'هایشان', 'تر', 'ترین', 'گر', 'گری'] as const;
/**
 * Suffixes written apart only after a word ending in ه ("گفته اند", "خسته ای"), where Persian
 * cannot join them: after other letters "ام" or "ای" are Arabic words (أم, أي) as often as suffixes.
 */
export const SUFFIXES_AFTER_HEH = ['ام', 'ای', 'ایم', 'اید', 'اند', 'مان', 'مون'] as const;

/** Compounds commonly written apart; a team adds its own under `matching.compounds` in foghorn.config.yaml. */
export const DEFAULT_COMPOUNDS = ['کار آفرین', 'دانش آموز', 'دانش جو', 'زمین لرزه', 'کتاب خانه', 'خاک آلود', 'هم اکنون'] as const;

// Three or more of the same Arabic-script letter are emphasis ("سلامممم"): no word spells one so.
// Marks, tatweel and invisibles between the letters are skipped, as normaliseText drops them later.
// The letters one family folds to (ی, ي, ى, ې, ێ …): a run mixing them is a run once folded ("یيي").
const FAMILIES = [...arabicLetterFamilies().values()].map((family) => `[${family.join('')}]`);
const EMPHATIC_SKIPPED = String.raw`[\p{M}\u0640\u200B-\u200F]`;
const EMPHATIC = new RegExp(
  [
    ...FAMILIES.map((family) => `${family}(?:${EMPHATIC_SKIPPED}*${family}){2,}`),
    String.raw`([\u0620-\u063F\u0641-\u064A\u066E-\u06D3\u06FA-\u06FF])(?:${EMPHATIC_SKIPPED}*\1){2,}`,
  ].join('|'),
  'gu',
);
// What normaliseText drops from between letters (Arabic marks, tatweel, invisible format characters).
const DROPPED = String.raw`[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED\u08D3-\u08FF\u0640\u00AD\u200C-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]`;
// Ezafe written as a separate ی after ه, with a space or a ZWNJ ("خانه ی", "خانه‌ی"), reads as "خانهٔ".
// Every letter normaliseText writes as ه or as ی counts, and what it drops is looked through (a mark after the ه,
// the ی's own marks), so normalising twice changes nothing ("ۀ ي", "هٔ ی").
const EZAFE_APART = new RegExp(
  String.raw`([\u0647\u06C0\u06C1\u06C2\u06D5\u06BE])${DROPPED}*?[\u200B\u200C\s](?:${DROPPED}|[\s\u200B])*[\u06CC\u064A\u0649\u06CE\u06D0]${DROPPED}*(?!${DROPPED}|[\p{L}\p{M}\p{N}])`,
  'gu',
);
// A number glued to an Arabic-script word ("۹متر") is two words.
// Marks, tatweel and invisibles between them are looked through, as normaliseText drops them later.
const DIGIT_GLUED = new RegExp(
  String.raw`(\p{Nd})(?=[\p{M}\p{Cf}\u0640]*[\p{L}&&\p{Script=Arabic}])|([\p{L}&&\p{Script=Arabic}])(?=[\p{M}\p{Cf}\u0640]*\p{Nd})`,
  'gv',
);
// A preverb written apart from the می that follows it ("بر می دارد").
const PREVERB_APART = new RegExp(String.raw`${NOT_WORD_BEFORE}(${PREVERBS.join('|')}) (?=ن?(?:می|مي)[ \u200C]${ARABIC_LETTER})`, 'gu');

/**
 * The composed text's rewrites that come before normalisation (and before the matcher's fold). They run on
 * every Arabic-script post, twice (fold and tokens): the costly ones only where one scan of the text finds
 * what they need, a digit or a letter written three times.
 */
export function beforeFolding(composed: string): string {
  if (!HAS_ARABIC.test(composed)) return composed;
  const preverb = composed.includes('\u0645\u06CC') || composed.includes('\u0645\u064A') ? PREVERB : 0;
  return rewritesBeforeFolding(composed, scan(composed) | preverb);
}

/** The rewrites of beforeFolding, the costly ones only where `found` (what the scans found) says they may apply. */
export function rewritesBeforeFolding(composed: string, found = REPEATED_LETTER | DIGIT | ANY_DIGIT | PREVERB | EZAFE): string {
  let value = (found & REPEATED_LETTER) !== 0 ? composed.replace(EMPHATIC, (run) => run.charAt(0)) : composed;
  // Digits apart before the ezafe: "ه ی۱۲۳" is an ezafe once the number stands apart, as the next normalisation sees it.
  if ((found & DIGIT) !== 0 || (found & (REPEATED_LETTER | ANY_DIGIT)) === (REPEATED_LETTER | ANY_DIGIT)) {
    value = value.replace(DIGIT_GLUED, '$1$2 ');
  }
  // The emphatic and digit rewrites change the text the ezafe pattern sees: after either it always runs.
  if ((found & (EZAFE | REPEATED_LETTER | DIGIT)) !== 0) value = value.replace(EZAFE_APART, '$1');
  return (found & PREVERB) !== 0 ? value.replace(PREVERB_APART, '$1') : value;
}

const HAS_ARABIC = /[\u0600-\u06FF]/;
const MARK = /^\p{M}$/u;
const ASTRAL_DIGIT = /^\p{Nd}$/u;
/** The zero of every block of ten decimal digits (\p{Nd}) in the Basic Multilingual Plane. */
export const BMP_DIGIT_ZEROS = [
  0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090,
  0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0,
  0xff10,
] as const;
const BMP_DIGIT = new Uint8Array(0x10000);
for (const zero of BMP_DIGIT_ZEROS) BMP_DIGIT.fill(1, zero, zero + 10);

const REPEATED_LETTER = 1;
/** A decimal digit next to a letter that may be Arabic, with only what DIGIT_GLUED looks through between: it may apply. */
const DIGIT = 2;
/** A decimal digit anywhere (the emphatic rewrite may bring one next to a letter: then DIGIT_GLUED runs too). */
const ANY_DIGIT = 16;
/** می or مي occurs: PREVERB_APART needs one. */
const PREVERB = 4;
/** A letter EZAFE_APART reads as ه, then what it drops, a space, and a letter it reads as ی: it may apply. */
const EZAFE = 8;

/** What scan() does with a code unit: see classOf. 0: not yet known. */
const LETTER = 1;
const SKIPPED = 2;
const DIGIT_UNIT = 3;
const SUPERSCRIPT_ALEF = 4;
const MARK_UNIT = 5;
const HIGH_SURROGATE = 6;
const OTHER = 7;
const CLASS = 7;
// Bits beside the class, for EZAFE_APART: a letter it reads as ه or as ی, what it drops, what it takes for a space.
const EZAFE_HEH = 8;
const EZAFE_YEH = 16;
const EZAFE_DROPPED = 32;
const EZAFE_SPACE = 64;
/** What DIGIT_GLUED looks through between a digit and a letter: marks, format characters, tatweel. */
const GLUE_SKIPPED = 128;
const GLUE_SKIPPED_UNIT = /[\p{M}\p{Cf}\u0640]/u;
const HEH_UNIT = /[\u0647\u06C0\u06C1\u06C2\u06D5\u06BE]/;
const YEH_UNIT = /[\u06CC\u064A\u0649\u06CE\u06D0]/;
const DROPPED_UNIT = new RegExp(DROPPED);
const SPACE_UNIT = /[\u200B\u200C\s]/;
/** Each BMP code unit's class, learned on first sight (a table of 64 K made at load would cost the cold start). */
const UNIT_CLASS = new Uint8Array(0x10000);

function classOf(code: number): number {
  let unitClass: number;
  if (
    code >= 0x0620 &&
    code <= 0x06ff &&
    code !== 0x0640 &&
    code !== 0x0670 &&
    !(code >= 0x064b && code <= 0x066d) &&
    !(code >= 0x06d4 && code <= 0x06f9)
  ) {
    unitClass = LETTER;
  } else if (code === 0x0670) {
    unitClass = SUPERSCRIPT_ALEF;
  } else if (code === 0x0640 || (code >= 0x200b && code <= 0x200f) || (code >= 0x064b && code <= 0x065f)) {
    unitClass = SKIPPED; // skipped by EMPHATIC: tatweel, invisibles, harakat
  } else if (BMP_DIGIT[code] === 1) {
    unitClass = DIGIT_UNIT;
  } else if (code < 0x0300) {
    unitClass = OTHER;
  } else if (code >= 0xd800 && code <= 0xdbff) {
    unitClass = HIGH_SURROGATE;
  } else {
    unitClass = MARK.test(String.fromCharCode(code)) ? MARK_UNIT : OTHER;
  }
  const char = String.fromCharCode(code);
  if (HEH_UNIT.test(char)) unitClass |= EZAFE_HEH;
  if (YEH_UNIT.test(char)) unitClass |= EZAFE_YEH;
  if (DROPPED_UNIT.test(char)) unitClass |= EZAFE_DROPPED;
  if (SPACE_UNIT.test(char)) unitClass |= EZAFE_SPACE;
  if (GLUE_SKIPPED_UNIT.test(char)) unitClass |= GLUE_SKIPPED;
  UNIT_CLASS[code] = unitClass;
  return unitClass;
}

/**
 * What the costly rewrites need, in one pass: REPEATED_LETTER when an Arabic letter occurs three times with
 * only what EMPHATIC skips between, DIGIT when a decimal digit occurs. Never a false no. Each code unit's
 * class comes from a table: this runs on every Arabic-script post, twice.
 */
function scan(text: string): number {
  let found = 0;
  let last = -1;
  let count = 0;
  // EZAFE_APART's way through the text: 0 nowhere, 1 after a ه and what it drops, 2 after a space too.
  let ezafe = 0;
  // DIGIT_GLUED's: what the last unit it does not look through was, 0 anything else, 1 a digit, 2 perhaps an Arabic letter.
  let glue = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let unit = UNIT_CLASS[code] as number;
    if (unit === 0) unit = classOf(code);
    if ((unit & GLUE_SKIPPED) === 0 && (unit & CLASS) !== HIGH_SURROGATE) {
      if ((unit & CLASS) === DIGIT_UNIT) {
        found |= glue === 2 ? DIGIT | ANY_DIGIT : ANY_DIGIT;
        glue = 1;
      } else if (code >= 0x80) {
        if (glue === 1) found |= DIGIT;
        glue = 2;
      } else {
        glue = 0;
      }
    }
    if (ezafe === 2 && (unit & EZAFE_YEH) !== 0) found |= EZAFE;
    if ((unit & EZAFE_HEH) !== 0) ezafe = 1;
    else if (ezafe !== 0 && (unit & EZAFE_SPACE) !== 0) ezafe = 2;
    else if ((unit & EZAFE_DROPPED) === 0) ezafe = 0;
    const unitClass = unit & CLASS;
    if (unitClass === LETTER) {
      const letter = canonicalArabicCode(code);
      if (letter === last) {
        if (++count >= 3) found |= REPEATED_LETTER;
      } else {
        last = letter;
        count = 1;
      }
    } else if (unitClass === SUPERSCRIPT_ALEF) {
      found |= REPEATED_LETTER; // superscript alef is a letter and a mark to EMPHATIC: let it decide
    } else if (unitClass === DIGIT_UNIT) {
      last = -1;
    } else if (unitClass === OTHER) {
      last = -1;
    } else if (unitClass === HIGH_SURROGATE) {
      const pair = text.slice(i, i + 2);
      i++;
      ezafe = 0;
      if (ASTRAL_DIGIT.test(pair)) {
        found |= glue === 2 ? DIGIT | ANY_DIGIT : ANY_DIGIT;
        glue = 1;
      } else if (!MARK.test(pair)) {
        // Any other astral code point may be an Arabic letter (or a format character DIGIT_GLUED looks through).
        if (glue === 1) found |= DIGIT;
        glue = 2;
      }
      if (!MARK.test(pair)) last = -1;
    }
    if ((found & (REPEATED_LETTER | DIGIT)) === (REPEATED_LETTER | DIGIT)) return found;
  }
  return found;
}

const PREFIX_APART = new RegExp(`${NOT_WORD_BEFORE}((?:${PREVERBS.join('|')})?ن?می) (?=${ARABIC_LETTER})`, 'gu');
const SUFFIX_APART = new RegExp(`(?<=${ARABIC_LETTER}) (${SUFFIXES.join('|')})${NOT_WORD_AFTER}`, 'gu');
/** How every suffix written apart starts: a space and its first letter. */
const SUFFIX_STARTS = [...new Set(SUFFIXES.map((suffix) => ` ${suffix.charAt(0)}`))];
const SUFFIX_AFTER_HEH_APART = new RegExp(String.raw`(?<=\u0647) (${SUFFIXES_AFTER_HEH.join('|')})${NOT_WORD_AFTER}`, 'gu');

/** Words that `joinAffixes` may join to a neighbour (the compounds' words come on top). */
export const JOINED_WORDS: readonly string[] = [
  ...SUFFIXES,
  ...SUFFIXES_AFTER_HEH,
  ...['', ...PREVERBS].flatMap((preverb) => [`${preverb}می`, `${preverb}نمی`]),
];

const compoundPatterns = new WeakMap<readonly string[], RegExp | null>();

function compoundPattern(compounds: readonly string[]): RegExp | null {
  let pattern = compoundPatterns.get(compounds);
  if (pattern === undefined) {
    const spaced = compounds
      .filter((compound) => compound.includes(' '))
      .map((compound) => compound.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    // Longest first, so a three-word compound wins over its first two words.
    spaced.sort((a, b) => b.length - a.length);
    pattern = spaced.length === 0 ? null : new RegExp(`${NOT_WORD_BEFORE}(?:${spaced.join('|')})${NOT_WORD_AFTER}`, 'gu');
    compoundPatterns.set(compounds, pattern);
  }
  return pattern;
}

/** Joins می/نمی (after a preverb or not), the suffixes, and the compounds written apart; `compounds` as normaliseText writes them. */
export function joinAffixes(normalised: string, compounds: readonly string[] = [], everyRewrite = false): string {
  if (!HAS_ARABIC.test(normalised)) return normalised;
  // Each pattern only where its literal part occurs (a cheap indexOf): this runs on every Arabic-script post.
  let value = everyRewrite || normalised.includes('\u0645\u06CC ') ? normalised.replace(PREFIX_APART, '$1') : normalised;
  if (everyRewrite || SUFFIX_STARTS.some((start) => value.includes(start))) value = value.replace(SUFFIX_APART, '$1');
  if (everyRewrite || value.includes('\u0647 ')) value = value.replace(SUFFIX_AFTER_HEH_APART, '$1');
  const pattern = compoundPattern(compounds);
  if (pattern !== null) value = value.replace(pattern, (compound) => compound.replaceAll(' ', ''));
  return value;
}

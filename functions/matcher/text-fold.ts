import { capText, type NormaliseOptions, normaliseText } from '../text/index.js';

/**
 * A cheap, sound stand-in for the rules module's text analysis, used only to skip it: the text is
 * composed (NFKC, as normaliseText starts), each code point replaced by what normaliseText makes of
 * it alone with everything but letters, digits and emoji dropped, then decomposed and mapped again
 * so composed and spelled-out letters agree (all cached per code point). Every step normaliseText
 * takes that depends on context either composes or strips marks (undone here and dropped), removes
 * invisible characters, punctuation or spaces (dropped here too) or changes a letter to one the
 * per-character mapping reaches as well (final sigma). So when tokens occur consecutively in a text's tokens,
 * their fold occurs in the text's fold, starting where a token may start and ending where one may
 * end (START/END flags: after or before something dropped, at emoji and at letters of scripts
 * written without spaces). test/matcher/text-fold.test.ts checks this on generated text in every script
 * Foghorn serves. The converse does not hold, and is not needed.
 */
export interface FoldedText {
  /** The fold, as UTF-16 code units (the first `length` of them). */
  units: Uint16Array;
  length: number;
  /** Per unit: START when a token may start there, END when one may end there. */
  flags: Uint8Array;
}

export const START = 1;
export const END = 2;

export interface TextFold {
  /** The fold of a phrase (its tokens joined by spaces): what to look for. */
  phrase(text: string): string;
  /** The fold of a text, with where tokens may start and end. */
  text(text: string): FoldedText;
}

// Not regional indicators: a lone one is no token, so keeping it could separate adjacent tokens.
const KEPT = /[\p{L}\p{N}\p{Extended_Pictographic}]/u;
/**
 * Letters of scripts written with spaces, and common digits: runs of them form one token. Anything
 * else kept (emoji, Han, Thai, Myanmar digits, scripts not listed) may be a token of its own, so it
 * is a boundary on both sides.
 */
const JOINS_WORDS = new RegExp(
  String.raw`^[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Armenian}\p{Script=Georgian}[\p{Nd}&&\p{Script=Common}]]$`,
  'v',
);

interface CodePointFold {
  text: string;
  /** Every unit of `text` may start and end a token (a boundary code point). */
  boundary: boolean;
}

export function textFold(options: NormaliseOptions): TextFold {
  // Basic Multilingual Plane in an array (a hot lookup for every character of every post), the rest in a map.
  const basic: Array<CodePointFold | undefined> = new Array(0x10000);
  const astral = new Map<number, CodePointFold>();
  // What normaliseText makes of one character, keeping only what tokens are made of.
  const keptOf = (char: string): { kept: string; dropped: boolean } => {
    let kept = '';
    let dropped = false;
    for (const part of normaliseText(char, options)) {
      if (KEPT.test(part)) kept += part;
      else dropped = true;
    }
    return { kept, dropped };
  };
  const compute = (code: number): CodePointFold => {
    const whole = keptOf(String.fromCodePoint(code));
    // Decomposed and mapped again, so a composed letter and its base + mark spelling agree (ئ / ي + ٔ).
    let text = '';
    let joins = true;
    for (const char of whole.kept.normalize('NFKD')) {
      const { kept } = keptOf(char);
      text += kept;
      for (const part of kept) if (!JOINS_WORDS.test(part)) joins = false;
    }
    return { text, boundary: text !== '' && (whole.dropped || !joins) };
  };
  const foldOf = (code: number): CodePointFold => {
    if (code < 0x10000) return (basic[code] ??= compute(code));
    let folded = astral.get(code);
    if (folded === undefined) astral.set(code, (folded = compute(code)));
    return folded;
  };

  const phrase = (input: string): string => {
    let out = '';
    for (const char of input.normalize('NFKC')) out += foldOf(char.codePointAt(0) as number).text;
    return out;
  };

  const text = (input: string): FoldedText => {
    const capped = capText(input);
    // Composed as normaliseText composes it (ASCII is its own NFKC).
    const composed = ASCII_ONLY.test(capped) ? capped : capped.normalize('NFKC');
    // A code point folds to at most a few units; grow if a long compatibility expansion needs more.
    let units = new Uint16Array(composed.length * 2 + 8);
    let flags = new Uint8Array(units.length);
    let length = 0;
    let startPending = true;
    for (let i = 0; i < composed.length; i++) {
      let code = composed.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < composed.length) {
        const low = composed.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          code = ((code - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
          i++;
        }
      }
      const folded = foldOf(code);
      const size = folded.text.length;
      if (size === 0) {
        if (length > 0) flags[length - 1] = (flags[length - 1] as number) | END;
        startPending = true;
        continue;
      }
      if (length + size > units.length) {
        units = grow(units, new Uint16Array(units.length * 2));
        flags = grow(flags, new Uint8Array(units.length));
      }
      if (folded.boundary) {
        if (length > 0) flags[length - 1] = (flags[length - 1] as number) | END;
        for (let k = 0; k < size; k++) {
          units[length] = folded.text.charCodeAt(k);
          flags[length++] = START | END;
        }
        startPending = true;
      } else {
        if (startPending) flags[length] = START;
        for (let k = 0; k < size; k++) units[length++] = folded.text.charCodeAt(k);
        startPending = false;
      }
    }
    if (length > 0) flags[length - 1] = (flags[length - 1] as number) | END;
    return { units, length, flags };
  };

  return { phrase, text };
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

function grow<T extends Uint8Array | Uint16Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

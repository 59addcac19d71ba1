import { capText, type NormaliseOptions, normaliseText } from '../rules/text/index.js';

/**
 * A cheap, sound stand-in for the rules module's text analysis, used only to skip it: the text is
 * decomposed (NFKD), each code point replaced by what normaliseText makes of it alone (cached per
 * code point), and everything but letters, digits and emoji dropped. Every step normaliseText takes
 * that depends on context either composes marks (undone by NFKD and dropped), removes invisible
 * characters, punctuation or spaces (dropped here too) or changes a letter to one the per-character
 * mapping reaches as well (final sigma). So when tokens occur consecutively in a text's tokens,
 * their fold occurs in the text's fold, starting where a token may start and ending where one may
 * end (`starts`/`ends`: after or before something dropped, at emoji and at letters of scripts written
 * without spaces). test/matcher/text-fold.test.ts checks this on generated text in every script
 * Foghorn serves. The converse does not hold, and is not needed.
 */
export interface FoldedText {
  text: string;
  /** 1 where a token may start (UTF-16 positions of `text`). */
  starts: Uint8Array;
  /** 1 where a token may end. */
  ends: Uint8Array;
}

export interface TextFold {
  /** The fold of a phrase (its tokens joined by spaces): what to look for. */
  phrase(text: string): string;
  /** The fold of a text, with where tokens may start and end. */
  text(text: string): FoldedText;
}

const KEPT = /[\p{L}\p{N}\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}]/u;
/**
 * Letters and digits of scripts written with spaces: runs of them form one token. Anything else kept
 * (emoji, Han, Thai, scripts not listed) may be a token of its own, so it is a boundary on both sides.
 */
const JOINS_WORDS = /^[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Armenian}\p{Script=Georgian}\p{Nd}]$/u;

interface CodePointFold {
  text: string;
  /** Every unit of `text` may start and end a token (a boundary code point). */
  boundary: boolean;
}

export function textFold(options: NormaliseOptions): TextFold {
  const byCodePoint = new Map<number, CodePointFold>();
  const foldOf = (code: number): CodePointFold => {
    let folded = byCodePoint.get(code);
    if (folded === undefined) {
      let text = '';
      let dropped = false;
      let joins = true;
      for (const char of normaliseText(String.fromCodePoint(code), options)) {
        if (KEPT.test(char)) {
          text += char;
          if (!JOINS_WORDS.test(char)) joins = false;
        } else {
          dropped = true;
        }
      }
      folded = { text, boundary: text !== '' && (dropped || !joins) };
      byCodePoint.set(code, folded);
    }
    return folded;
  };
  const ascii: CodePointFold[] = [];
  for (let code = 0; code < 0x80; code++) ascii.push(foldOf(code));

  const phrase = (input: string): string => {
    const decomposed = input.normalize('NFKD');
    let out = '';
    for (const char of decomposed) out += foldOf(char.codePointAt(0) as number).text;
    return out;
  };

  const text = (input: string): FoldedText => {
    const decomposed = capText(input).normalize('NFKD');
    // A code point folds to at most a few units; grow if a long compatibility expansion needs more.
    let starts: Uint8Array = new Uint8Array(decomposed.length * 2 + 8);
    let ends: Uint8Array = new Uint8Array(starts.length);
    let out = '';
    let last = -1;
    let startPending = true;
    for (let i = 0; i < decomposed.length; i++) {
      let code = decomposed.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < decomposed.length) {
        const low = decomposed.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          code = ((code - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
          i++;
        }
      }
      const folded = code < 0x80 ? (ascii[code] as CodePointFold) : foldOf(code);
      if (folded.text === '') {
        if (last >= 0) ends[last] = 1;
        startPending = true;
        continue;
      }
      if (last + 1 + folded.text.length > starts.length) {
        starts = grow(starts);
        ends = grow(ends);
      }
      if (folded.boundary) {
        if (last >= 0) ends[last] = 1;
        for (let k = 0; k < folded.text.length; k++) {
          last++;
          starts[last] = 1;
          ends[last] = 1;
        }
        startPending = true;
      } else {
        if (startPending) starts[last + 1] = 1;
        last += folded.text.length;
        startPending = false;
      }
      out += folded.text;
    }
    if (last >= 0) ends[last] = 1;
    return { text: out, starts, ends };
  };

  return { phrase, text };
}

function grow(array: Uint8Array): Uint8Array {
  const larger = new Uint8Array(array.length * 2);
  larger.set(array);
  return larger;
}

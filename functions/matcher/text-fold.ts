import { capText, type NormaliseOptions, normaliseText } from '../rules/text/index.js';

/**
 * A cheap, sound stand-in for the rules module's text analysis, used only to skip it: the text is
 * decomposed (NFKD), each code point replaced by what normaliseText makes of it alone (cached per
 * code point), and everything but letters, digits and emoji dropped. Every step normaliseText takes
 * that depends on context either composes marks (undone by NFKD and dropped), removes invisible
 * characters, punctuation or spaces (dropped here too) or changes a letter to one the per-character
 * mapping reaches as well (final sigma). So when a phrase's tokens occur in a text's tokens, the
 * phrase's fold occurs in the text's fold; test/matcher/text-fold.test.ts checks this property on
 * generated text in every script Foghorn serves. The converse does not hold, and is not needed.
 */
export type Fold = (text: string) => string;

const KEPT = /[\p{L}\p{N}\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}]/u;

export function textFold(options: NormaliseOptions): Fold {
  const byCodePoint = new Map<number, string>();
  const ascii: string[] = [];
  const foldOf = (code: number): string => {
    let folded = byCodePoint.get(code);
    if (folded === undefined) {
      folded = '';
      for (const char of normaliseText(String.fromCodePoint(code), options)) if (KEPT.test(char)) folded += char;
      byCodePoint.set(code, folded);
    }
    return folded;
  };
  for (let code = 0; code < 0x80; code++) ascii.push(foldOf(code));
  return (text) => {
    const decomposed = capText(text).normalize('NFKD');
    let out = '';
    for (let i = 0; i < decomposed.length; i++) {
      let code = decomposed.charCodeAt(i);
      if (code < 0x80) {
        out += ascii[code] as string;
        continue;
      }
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < decomposed.length) {
        const low = decomposed.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          code = ((code - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
          i++;
        }
      }
      out += foldOf(code);
    }
    return out;
  };
}

/**
 * Splits normalised text into the tokens that phrases are matched against. A token is one of:
 * a URL, a #hashtag, an @handle, an emoji (sequence), one character of a script written without
 * spaces (Han, kana, Thai, Lao, Khmer, Myanmar), or a run of letters, marks and digits.
 * Everything else (spaces, punctuation, symbols) separates tokens, so "hours😀" still holds "hours".
 *
 * The tokens are those of this pattern, matched left to right (alternatives in order of priority: a URL
 * swallows the words inside it; a hashtag or handle only starts after a non-word character, so e-mail
 * addresses are not handles):
 *
 *   (?:https?://|www\.)[^\s<>"]+                                    a URL, less its trailing punctuation
 *   (?<![\p{L}\p{M}\p{N}_])[#@]T(?:[\p{L}\p{M}\p{N}_.]*T)?          T = [\p{L}\p{M}\p{N}_]
 *   [\u{1F1E6}-\u{1F1FF}]{2}|\p{Extended_Pictographic}(?:\u200D\p{Extended_Pictographic})*
 *   [S]\p{M}*                                                       S = the scripts written without spaces
 *   [[\p{L}\p{M}\p{N}]--[S]]+
 *
 * It is walked by hand, one code point at a time, over a class table learned on first sight from the same
 * Unicode properties: the pattern itself (a Unicode-sets regex) was half the text analysis of a post.
 * test/text/tokenize.test.ts holds the walk to the pattern.
 */

/** Letter, mark or number. */
const LMN = 1;
/** A word character: LMN and not of a script written without spaces. */
const WORD = 2;
/** Of a script written without spaces. */
const NO_SPACE = 4;
const MARK = 8;
const PICTOGRAPHIC = 16;
/** Ends a URL: white space, <, > or ". */
const URL_STOP = 32;
const KNOWN = 128;

const NO_SPACE_SCRIPTS =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const LETTER_MARK_NUMBER = /[\p{L}\p{M}\p{N}]/u;
const ANY_MARK = /\p{M}/u;
const EXTENDED_PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
const ENDS_URL = /[\s<>"]/u;

/** Classes of BMP code points (0 until first seen), and of the others by code point. */
const BMP_CLASSES = new Uint8Array(0x10000);
const ASTRAL_CLASSES = new Map<number, number>();

function classify(codePoint: number): number {
  const char = String.fromCodePoint(codePoint);
  let classes = KNOWN;
  const noSpace = NO_SPACE_SCRIPTS.test(char);
  if (noSpace) classes |= NO_SPACE;
  if (LETTER_MARK_NUMBER.test(char)) classes |= noSpace ? LMN : LMN | WORD;
  if (ANY_MARK.test(char)) classes |= MARK;
  if (EXTENDED_PICTOGRAPHIC.test(char)) classes |= PICTOGRAPHIC;
  if (ENDS_URL.test(char)) classes |= URL_STOP;
  return classes;
}

function classesOf(codePoint: number): number {
  if (codePoint < 0x10000) {
    const known = BMP_CLASSES[codePoint] as number;
    if (known !== 0) return known;
    const classes = classify(codePoint);
    BMP_CLASSES[codePoint] = classes;
    return classes;
  }
  let classes = ASTRAL_CLASSES.get(codePoint);
  if (classes === undefined) ASTRAL_CLASSES.set(codePoint, (classes = classify(codePoint)));
  return classes;
}

/** The code point at `at` (a lone surrogate is one of its own), as the pattern's `v` flag reads it. */
function codePointAt(text: string, at: number): number {
  const unit = text.charCodeAt(at);
  if (unit >= 0xd800 && unit <= 0xdbff && at + 1 < text.length) {
    const next = text.charCodeAt(at + 1);
    if (next >= 0xdc00 && next <= 0xdfff) return (unit - 0xd800) * 0x400 + (next - 0xdc00) + 0x10000;
  }
  return unit;
}

const sizeOf = (codePoint: number): number => (codePoint >= 0x10000 ? 2 : 1);

/** The code point ending just before `at`, or -1 at the start. */
function codePointBefore(text: string, at: number): number {
  if (at === 0) return -1;
  const unit = text.charCodeAt(at - 1);
  if (unit >= 0xdc00 && unit <= 0xdfff && at >= 2) {
    const high = text.charCodeAt(at - 2);
    if (high >= 0xd800 && high <= 0xdbff) return (high - 0xd800) * 0x400 + (unit - 0xdc00) + 0x10000;
  }
  return unit;
}

const UNDERSCORE = 0x5f;
const DOT = 0x2e;
const HASH = 0x23;
const AT = 0x40;
const ZWJ = 0x200d;
const isRegionalIndicator = (codePoint: number): boolean => codePoint >= 0x1f1e6 && codePoint <= 0x1f1ff;
/** [\p{L}\p{M}\p{N}_]: a hashtag's or handle's character. */
const isTagChar = (codePoint: number): boolean => codePoint === UNDERSCORE || (classesOf(codePoint) & LMN) !== 0;

const URL_TRAILING_PUNCTUATION = /[.,!?;:)\]}'"»”’]+$/u;

/** Length of the URL prefix (https://, http://, www.) at `at`, or 0. */
function urlPrefix(text: string, at: number): number {
  const unit = text.charCodeAt(at);
  if (unit === 0x68 /* h */) {
    if (text.startsWith('https://', at)) return 8;
    if (text.startsWith('http://', at)) return 7;
  } else if (unit === 0x77 /* w */ && text.startsWith('www.', at)) return 4;
  return 0;
}

/** End of the URL whose prefix ends at `from` ([^\s<>"]+), or -1 when nothing follows the prefix. */
function urlEnd(text: string, from: number): number {
  let at = from;
  while (at < text.length) {
    const codePoint = codePointAt(text, at);
    if ((classesOf(codePoint) & URL_STOP) !== 0) break;
    at += sizeOf(codePoint);
  }
  return at === from ? -1 : at;
}

/** End of the hashtag or handle starting with its sign at `at`, or -1 when there is none there. */
function tagEnd(text: string, at: number): number {
  const before = codePointBefore(text, at);
  if (before !== -1 && isTagChar(before)) return -1;
  let next = at + 1;
  if (next >= text.length) return -1;
  const first = codePointAt(text, next);
  if (!isTagChar(first)) return -1;
  next += sizeOf(first);
  // The longest run of tag characters and dots that ends on a tag character.
  let end = next;
  while (next < text.length) {
    const codePoint = codePointAt(text, next);
    const size = sizeOf(codePoint);
    if (isTagChar(codePoint)) end = next + size;
    else if (codePoint !== DOT) break;
    next += size;
  }
  return end;
}

/** End of the emoji (sequence) at `at`, or -1. */
function emojiEnd(text: string, at: number, codePoint: number, classes: number): number {
  const size = sizeOf(codePoint);
  if (isRegionalIndicator(codePoint)) {
    return at + size < text.length && isRegionalIndicator(codePointAt(text, at + size)) ? at + size + 2 : -1;
  }
  if ((classes & PICTOGRAPHIC) === 0) return -1;
  let end = at + size;
  while (end + 1 < text.length && text.charCodeAt(end) === ZWJ) {
    const joined = codePointAt(text, end + 1);
    if ((classesOf(joined) & PICTOGRAPHIC) === 0) break;
    end += 1 + sizeOf(joined);
  }
  return end;
}

/** Tokens of text that went through normaliseText, in order. */
export function tokenize(normalised: string): string[] {
  const tokens: string[] = [];
  const length = normalised.length;
  let at = 0;
  while (at < length) {
    const codePoint = codePointAt(normalised, at);
    const size = sizeOf(codePoint);
    const classes = classesOf(codePoint);
    // A word, unless a URL starts here (only h and w can start one), or an emoji (ℹ is a letter and pictographic).
    if ((classes & (WORD | PICTOGRAPHIC)) === WORD) {
      const prefix = codePoint === 0x68 || codePoint === 0x77 ? urlPrefix(normalised, at) : 0;
      const url = prefix === 0 ? -1 : urlEnd(normalised, at + prefix);
      if (url !== -1) {
        tokens.push(normalised.slice(at, url).replace(URL_TRAILING_PUNCTUATION, ''));
        at = url;
        continue;
      }
      let end = at + size;
      while (end < length) {
        const next = codePointAt(normalised, end);
        if ((classesOf(next) & WORD) === 0) break;
        end += sizeOf(next);
      }
      tokens.push(normalised.slice(at, end));
      at = end;
      continue;
    }
    if (codePoint === HASH || codePoint === AT) {
      const end = tagEnd(normalised, at);
      if (end !== -1) {
        tokens.push(normalised.slice(at, end));
        at = end;
        continue;
      }
    }
    const emoji = emojiEnd(normalised, at, codePoint, classes);
    if (emoji !== -1) {
      tokens.push(normalised.slice(at, emoji));
      at = emoji;
      continue;
    }
    if ((classes & NO_SPACE) !== 0) {
      let end = at + size;
      while (end < length) {
        const next = codePointAt(normalised, end);
        if ((classesOf(next) & MARK) === 0) break;
        end += sizeOf(next);
      }
      tokens.push(normalised.slice(at, end));
      at = end;
      continue;
    }
    at += size;
  }
  return tokens;
}

/**
 * The forms under which a text token can be matched by a phrase token: a hashtag also stands for
 * its word ("#refund" is matched by "refund" and by "#refund"); an @handle only by itself.
 */
export function tokenKeys(token: string): readonly string[] {
  return token.length > 1 && token.startsWith('#') ? [token, token.slice(1)] : [token];
}

/** True when a phrase token matches a text token (see tokenKeys). */
export function tokenMatches(phraseToken: string, textToken: string): boolean {
  return phraseToken === textToken || (textToken.startsWith('#') && textToken.length > 1 && textToken.slice(1) === phraseToken);
}

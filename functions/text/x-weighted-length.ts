/**
 * X's weighted character count, from the documented twitter-text v3 configuration and its parseTweet
 * algorithm (github.com/twitter/twitter-text, config/v3.json): the text is NFC-normalised; a code point
 * in one of four ranges (Latin and most alphabetic scripts, some punctuation) weighs 1, any other (CJK,
 * emoji, most symbols) weighs 2; an emoji sequence weighs 2 as a whole; a URL weighs 23 whatever its
 * length (t.co wraps it). A post may weigh 280.
 *
 * twitter-text finds URLs with its own TLD list and emoji with twemoji's; this module errs on the heavy
 * side where it cannot know: a bare domain (`example.com`) weighs at least 23, every pictographic
 * cluster weighs 2 (`©` too, which X may count as 1), so a text that fits here fits on X.
 */

/** Code point ranges that weigh 1 (twitter-text v3 `ranges`, inclusive). */
const LIGHT_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0, 4351],
  [8192, 8205],
  [8208, 8223],
  [8242, 8247],
];
/** `transformedURLLength`. */
export const X_URL_WEIGHT = 23;
export const X_MAX_WEIGHTED_LENGTH = 280;

const EMOJI_CLUSTER = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;

function codePointWeight(codePoint: number): number {
  return LIGHT_RANGES.some(([start, end]) => codePoint >= start && codePoint <= end) ? 1 : 2;
}

/** The weight of one grapheme cluster on X. */
export function xGraphemeWeight(grapheme: string): number {
  if (EMOJI_CLUSTER.test(grapheme)) return 2;
  let weight = 0;
  for (const char of grapheme.normalize('NFC')) weight += codePointWeight(char.codePointAt(0)!);
  return weight;
}

/** A URL in a text, as X would shorten it. `scheme`: written with http(s)://, else a bare domain. */
export interface FoundUrl {
  start: number;
  end: number;
  scheme: boolean;
}

const URL_PATTERN = new RegExp(
  [
    // With a scheme: up to the next space or markup character.
    String.raw`(?<scheme>https?://[^\s<>"]+)`,
    // A bare domain after a non-word character: labels, a letter-only TLD, an optional port and path.
    String.raw`(?<![\p{L}\p{M}\p{N}@._-])(?<bare>(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?![\p{L}\p{M}\p{N}_-])(?::\d+)?(?:/[^\s<>"]*)?)`,
  ].join('|'),
  'giu',
);
const TRAILING_PUNCTUATION = /[.,!?;:)\]}'"»”’،؛؟]+$/u;
/** A scheme URL whose host has no letter TLD (localhost, an IP) is not shortened by X. */
const SHORTENED_HOST = /^https?:\/\/(?:[^/?#@\s]*@)?[^/?#:\s]*\.(?:[a-z]{2,}|xn--[a-z0-9-]+)(?=[:/?#]|$)/iu;

/** The URLs in a text, in order, without the punctuation that ends a sentence after them. */
export function findUrls(text: string): FoundUrl[] {
  const found: FoundUrl[] = [];
  for (const match of text.matchAll(URL_PATTERN)) {
    const raw = match[0].replace(TRAILING_PUNCTUATION, '');
    if (raw === '' || raw.endsWith('://')) continue;
    found.push({ start: match.index, end: match.index + raw.length, scheme: match.groups?.scheme !== undefined });
  }
  return found;
}

/** The weight of a URL found by findUrls, given the weight of its characters. */
export function xUrlWeight(url: string, scheme: boolean, ownWeight: number): number {
  if (scheme) return SHORTENED_HOST.test(url) ? X_URL_WEIGHT : ownWeight;
  return Math.max(X_URL_WEIGHT, ownWeight);
}

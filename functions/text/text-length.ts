import { findUrls, xGraphemeWeight, xUrlWeight } from './x-weighted-length.js';

/**
 * How a platform counts the length of a text:
 * - `utf16`: UTF-16 code units, JavaScript's `length` (Telegram's documented unit; the safe reading of
 *   "characters" elsewhere, since it is never less than the code points or the graphemes);
 * - `utf8`: UTF-8 bytes (Instagram's direct messages);
 * - `graphemes`: user-perceived characters (Intl.Segmenter);
 * - `x-weighted`: X's weighted count (x-weighted-length.ts).
 */
export type TextCount = 'utf16' | 'utf8' | 'graphemes' | 'x-weighted';

const graphemeSegmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });
const wordSegmenter = new Intl.Segmenter('und', { granularity: 'word' });

/**
 * What can join a grapheme cluster with its neighbours (UAX #29): marks, format characters (ZWJ,
 * ZWNJ, Arabic prepends), controls (CR LF), Hangul jamo, Thai and Lao SARA AM, the Malayalam dot reph,
 * and every astral code point (emoji, modifiers, regional indicators). A text with none of them is
 * one cluster per UTF-16 unit, which spares the segmenter (slow: tens of microseconds a cluster).
 */
const MAY_JOIN = /[\p{M}\p{Cf}\p{Cc}\u0D4E\u0E33\u0EB3\u1100-\u11FF\uA960-\uA97F\uD7B0-\uD7FF\uD800-\uDFFF\u{10000}-\u{10FFFF}]/u;

/** The grapheme clusters of a text (a ZWJ emoji sequence, a letter with its combining marks, a flag: one each). */
export function graphemes(text: string): string[] {
  if (!MAY_JOIN.test(text)) return text.split('');
  return Array.from(graphemeSegmenter.segment(text), (segment) => segment.segment);
}

/** The weight of a piece of text that is not a URL. */
function plainWeight(text: string, counts: TextCount): number {
  switch (counts) {
    case 'utf16':
      return text.length;
    case 'utf8':
      return Buffer.byteLength(text, 'utf8');
    case 'graphemes':
      return graphemes(text).length;
    case 'x-weighted': {
      let weight = 0;
      for (const grapheme of graphemes(text)) weight += xGraphemeWeight(grapheme);
      return weight;
    }
  }
}

/**
 * Where a text may be cut after a unit, best first: a line break, the end of a sentence, a space,
 * any other word boundary.
 */
export const BREAK = { paragraph: 3, sentence: 2, space: 1, word: 0 } as const;

/** A piece of text that is never cut in a fit: a word, a run of spaces or punctuation, a URL. */
export interface TextUnit {
  text: string;
  weight: number;
  /** How good a place the end of this unit is to cut (BREAK). */
  breakAfter: number;
  /** Blank (spaces, line breaks): dropped at the edges of a cut. */
  blank: boolean;
}

/** A run of blanks not followed by a mark (a mark after a space belongs to it). */
const BLANK_RUN = /(\s+(?![\p{M}\p{Cf}]))/u;
/** Runs up to this long between blanks are one unit: a word, with its punctuation. */
const SHORT_RUN = 24;

const SENTENCE_END = /[.!?…。！？؟۔।]["'»”’)\]]*$/u;

function unitOf(text: string, counts: TextCount, previous: TextUnit | undefined): TextUnit {
  const blank = text.trim() === '';
  const breakAfter = !blank
    ? BREAK.word
    : /[\n\r\u2028\u2029]/u.test(text)
      ? BREAK.paragraph
      : previous && SENTENCE_END.test(previous.text)
        ? BREAK.sentence
        : BREAK.space;
  return { text, weight: plainWeight(text, counts), breakAfter, blank };
}

/**
 * A text as a list of units whose weights add up to its length as `counts` counts it. URLs are one
 * unit each (a cut link is a different link); everything else is split on word boundaries (UAX #29),
 * which never fall inside a grapheme cluster.
 */
export function textUnits(text: string, counts: TextCount): TextUnit[] {
  const units: TextUnit[] = [];
  const plain = (from: number, to: number) => {
    // Blanks split words everywhere; the word segmenter (slow) only cuts a long run without blanks (CJK, Thai).
    for (const run of text.slice(from, to).split(BLANK_RUN)) {
      if (run === '') continue;
      if (run.length <= SHORT_RUN || run.trim() === '') {
        units.push(unitOf(run, counts, units.at(-1)));
        continue;
      }
      for (const { segment } of wordSegmenter.segment(run)) units.push(unitOf(segment, counts, units.at(-1)));
    }
  };
  let at = 0;
  for (const url of findUrls(text)) {
    plain(at, url.start);
    const source = text.slice(url.start, url.end);
    const own = plainWeight(source, counts);
    units.push({
      text: source,
      weight: counts === 'x-weighted' ? xUrlWeight(source, url.scheme, own) : own,
      breakAfter: BREAK.word,
      blank: false,
    });
    at = url.end;
  }
  plain(at, text.length);
  // A word followed by a space ends where the space does: the cut drops the space.
  for (let index = 0; index + 1 < units.length; index++) {
    const next = units[index + 1]!;
    if (next.blank && !units[index]!.blank) units[index]!.breakAfter = Math.max(units[index]!.breakAfter, next.breakAfter);
  }
  return units;
}

/** The length of a text as a platform counts it. */
export function textLength(text: string, counts: TextCount): number {
  if (counts === 'utf16') return text.length;
  if (counts === 'utf8') return Buffer.byteLength(text, 'utf8');
  let length = 0;
  for (const unit of textUnits(text, counts)) length += unit.weight;
  return length;
}

/**
 * One unit as its grapheme clusters, for a word too long to fit anywhere whole. `codePoints`: a single
 * cluster is cut between its code points (for a cluster longer than a whole part: thousands of stacked marks).
 */
export function graphemeUnits(unit: TextUnit, counts: TextCount, codePoints = false): TextUnit[] {
  const parts = graphemes(unit.text);
  const pieces = parts.length > 1 || !codePoints ? parts : Array.from(unit.text);
  return pieces.map((text) => ({ text, weight: plainWeight(text, counts), breakAfter: BREAK.word, blank: text.trim() === '' }));
}

import { graphemeUnits, type TextCount, type TextUnit, textLength, textUnits } from './text-length.js';

/**
 * Fitting a text into a platform's limit: cut it (truncateText) or cut it into parts (splitText).
 * Both cut between units (text-length.ts): on a word boundary, never inside a URL or a grapheme
 * cluster, so no combining mark, ZWJ sequence or flag is ever split, in any script. Only a word or
 * URL longer than the whole limit is cut inside, between its grapheme clusters. Cost: linear in the
 * text, except that each too-long word is segmented again.
 */

export interface TextLimit {
  /** The largest length the platform accepts. */
  max: number;
  counts: TextCount;
}

export const ELLIPSIS = '…';

/** Cut points up to `budget`: after each unit that fits, with the weight so far. */
interface Cut {
  end: number;
  weight: number;
  breakAfter: number;
}

/**
 * The end (exclusive) of the units from `start` to cut at, within `budget`, or undefined when not even
 * the first unit fits. Prefers the best kind of break found after `preferAfter` of the way, the latest
 * of its kind; before that, the latest break of any kind.
 */
function cutAt(units: readonly TextUnit[], start: number, budget: number, preferAfter: number): number | undefined {
  const cuts: Cut[] = [];
  let weight = 0;
  for (let index = start; index < units.length; index++) {
    const unit = units[index]!;
    if (weight + unit.weight > budget) break;
    weight += unit.weight;
    cuts.push({ end: index + 1, weight, breakAfter: unit.breakAfter });
  }
  if (cuts.length === 0) return undefined;
  if (cuts.at(-1)!.end === units.length) return units.length;
  const late = cuts.filter((cut) => cut.weight >= weight * preferAfter);
  const best = late.reduce((a, b) => (b.breakAfter >= a.breakAfter ? b : a));
  return best.end;
}

function joined(units: readonly TextUnit[], start: number, end: number): string {
  let out = '';
  for (let index = start; index < end; index++) out += units[index]!.text;
  return out;
}

/** Replaces the unit at `index` by its grapheme clusters (or code points); false when it cannot be cut further. */
function explode(units: TextUnit[], index: number, counts: TextCount, codePoints = false): boolean {
  const pieces = graphemeUnits(units[index]!, counts, codePoints);
  if (pieces.length < 2) return false;
  units.splice(index, 1, ...pieces);
  return true;
}

/** Trailing blanks and the punctuation that should not stand before an ellipsis. */
const BEFORE_ELLIPSIS = /[\s,;:،؛\-–—]+$/u;

/**
 * The text, or its longest start that fits with an ellipsis after it, cut on a word boundary near the
 * end (a grapheme boundary when one word is longer than the limit). Empty when not even the first
 * grapheme cluster fits.
 */
export function truncateText(text: string, limit: TextLimit, ellipsis = ELLIPSIS): string {
  if (textLength(text, limit.counts) <= limit.max) return text;
  const budget = limit.max - textLength(ellipsis, limit.counts);
  if (budget <= 0) return '';
  const units = textUnits(text, limit.counts);
  for (;;) {
    const end = cutAt(units, 0, budget, 0.8);
    if (end !== undefined) {
      const kept = joined(units, 0, end).replace(BEFORE_ELLIPSIS, '');
      if (kept.trim() !== '') return `${kept}${ellipsis}`;
    }
    // Only blanks or punctuation fit before the first word (or URL) that does not: cut inside it, between clusters.
    let first = 0;
    for (let weight = 0; first < units.length && weight + units[first]!.weight <= budget; first++) weight += units[first]!.weight;
    if (first === units.length || !explode(units, first, limit.counts)) return '';
  }
}

/**
 * The text in parts that each fit, cut at the best break in the second half of each part (a line
 * break, then a sentence end, then a space), with the blanks at the cuts dropped. A text that fits
 * is one part; an empty text none.
 */
export function splitText(text: string, limit: TextLimit): string[] {
  if (limit.max <= 0) throw new RangeError(`a text limit must be positive, got ${limit.max}`);
  const units = textUnits(text, limit.counts);
  const parts: string[] = [];
  let start = 0;
  while (start < units.length) {
    while (start < units.length && units[start]!.blank) start++;
    if (start === units.length) break;
    const end = cutAt(units, start, limit.max, 0.5);
    if (end === undefined) {
      if (!explode(units, start, limit.counts, true)) {
        throw new RangeError(`one character of the text is longer than the limit (${limit.max} ${limit.counts})`);
      }
      continue;
    }
    const part = joined(units, start, end).trimEnd();
    if (part !== '') parts.push(part);
    start = end;
  }
  return parts;
}

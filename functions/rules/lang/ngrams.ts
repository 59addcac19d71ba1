import { NGRAM_ORDERS, NGRAM_QUANTUM, type NgramModelFile } from './ngrams/format.js';
import { readNgramModel } from './ngrams/index.js';
import { NGRAM_LANGUAGES } from './ngrams/languages.js';

/**
 * Lingua's character n-gram models (ngrams/, extracted by `npm run lang:ngrams`; source and licence in
 * ngrams/README.md) scoring short text the way Lingua does in its high-accuracy mode: the text's distinct n-grams of
 * one to five letters, within words, each looked up in a language's model of its length, and where that has no entry,
 * its prefix one letter shorter, and so on; the language's score is the sum of the logarithms found, over how many of
 * the text's letters its model knows. The scores of one script's languages, turned into probabilities, are a vote
 * beside the lexicon's (detect.ts).
 *
 * Tables are built per script on first use (only short text the earlier stages left undecided reaches here): per
 * language and order, the n-grams' 32-bit hashes sorted, with their levels beside, 5 bytes an n-gram. Per text: a
 * binary search per n-gram (and per shorter prefix it falls back to) per language of the script, about a millisecond
 * for a short Latin post against some 35 languages.
 */

interface OrderTable {
  hashes: Uint32Array;
  levels: Uint8Array;
}

interface LanguageModel {
  lang: string;
  /** Unigrams … fivegrams. */
  orders: OrderTable[];
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SPACE = 0x20;

/** FNV-1a over the UTF-16 code units of text[start, end). */
function hashRange(text: string, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let index = start; index < end; index++) hash = Math.imul(hash ^ text.charCodeAt(index), FNV_PRIME);
  return hash >>> 0;
}

/** One order's levels and n-grams into a sorted table, read by char code (no substrings, next to no garbage). */
function buildOrder(levels: Readonly<Record<string, string>>): OrderTable {
  let count = 0;
  for (const list of Object.values(levels)) {
    count++;
    for (let index = 0; index < list.length; index++) if (list.charCodeAt(index) === SPACE) count++;
  }
  // hash·2⁸ + level is exact in a double and sorts by hash.
  const keyed = new Float64Array(count);
  let filled = 0;
  for (const [level, list] of Object.entries(levels)) {
    const value = Math.min(255, Number(level));
    let start = 0;
    for (let index = 0; index <= list.length; index++) {
      if (index < list.length && list.charCodeAt(index) !== SPACE) continue;
      keyed[filled++] = hashRange(list, start, index) * 0x100 + value;
      start = index + 1;
    }
  }
  keyed.sort();
  const hashes = new Uint32Array(count);
  const levelsOut = new Uint8Array(count);
  for (let index = 0; index < count; index++) {
    const key = keyed[index]!;
    const hash = Math.floor(key / 0x100);
    hashes[index] = hash;
    levelsOut[index] = key - hash * 0x100;
  }
  return { hashes, levels: levelsOut };
}

function buildModel(file: NgramModelFile): LanguageModel {
  return { lang: file.lang, orders: file.orders.map(buildOrder) };
}

/** The level of `hash` in `table`, or 0 (absent: no level is 0). */
function levelOf(table: OrderTable, hash: number): number {
  const { hashes } = table;
  let low = 0;
  let high = hashes.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = hashes[middle]!;
    if (value === hash) return table.levels[middle]!;
    if (value < hash) low = middle + 1;
    else high = middle - 1;
  }
  return 0;
}

const modelsByScript = new Map<string, LanguageModel[]>();

function loadModels(script: string): LanguageModel[] {
  let models = modelsByScript.get(script);
  if (models === undefined) {
    models = Object.entries(NGRAM_LANGUAGES)
      .filter(([, of]) => of === script)
      .map(([lang]) => buildModel(readNgramModel(lang)));
    modelsByScript.set(script, models);
  }
  return models;
}

/** The languages with a model, by script. */
export function ngramLanguages(script: string): string[] {
  return Object.entries(NGRAM_LANGUAGES)
    .filter(([, of]) => of === script)
    .map(([lang]) => lang);
}

/** A text's words as Lingua reads them: lower-cased, marks dropped, letters only. */
function words(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/\p{M}/gu, '')
      .match(/\p{L}+/gu) ?? []
  );
}

/**
 * The text's distinct n-grams, each as the hashes of itself and its prefixes, longest first: what a language's
 * models are asked for, in the order Lingua falls back.
 */
function textNgrams(text: string): number[][] {
  const seen = new Set<string>();
  const ngrams: number[][] = [];
  for (const word of words(text)) {
    for (let length = 1; length <= NGRAM_ORDERS; length++) {
      for (let start = 0; start + length <= word.length; start++) {
        const ngram = word.slice(start, start + length);
        if (seen.has(ngram)) continue;
        seen.add(ngram);
        const chain: number[] = [];
        for (let end = start + length; end > start; end--) chain.push(hashRange(word, start, end));
        ngrams.push(chain);
      }
    }
  }
  return ngrams;
}

/** Per language, how likely its n-grams make the text (Lingua's score, larger is likelier; undefined: no letter known). */
function score(model: LanguageModel, ngrams: readonly number[][]): number | undefined {
  let sum = 0;
  let unigrams = 0;
  for (const chain of ngrams) {
    for (let at = 0; at < chain.length; at++) {
      const level = levelOf(model.orders[chain.length - 1 - at]!, chain[at]!);
      if (level === 0) continue;
      sum -= level / NGRAM_QUANTUM;
      if (chain.length === 1) unigrams++;
      break;
    }
  }
  return unigrams === 0 ? undefined : sum / unigrams;
}

/**
 * The probability of each language of `script` with a model (or only those `among`) for the text, from Lingua's
 * scores (a softmax over them); empty when no model knows any of its letters.
 */
export function ngramProbabilities(text: string, script: string, among?: ReadonlySet<string>): Map<string, number> {
  const ngrams = textNgrams(text);
  const scores: Array<[string, number]> = [];
  for (const model of loadModels(script)) {
    if (among !== undefined && !among.has(model.lang)) continue;
    const value = score(model, ngrams);
    if (value !== undefined) scores.push([model.lang, value]);
  }
  const best = Math.max(...scores.map(([, value]) => value));
  const total = scores.reduce((sum, [, value]) => sum + Math.exp(value - best), 0);
  return new Map(scores.map(([lang, value]) => [lang, Math.exp(value - best) / total]));
}

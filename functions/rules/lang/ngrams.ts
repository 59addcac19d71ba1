import { hasTurkicCasing, lowerCase, turkicCasings } from './latin.js';
import { NGRAM_ORDERS, NGRAM_QUANTUM, type NgramModel, ngramHash, ngramLevel } from './ngrams/format.js';
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
 * Tables are read per script on first use (only short text the earlier stages left undecided reaches here): per
 * language and order, the n-grams' 32-bit hashes sorted, with their levels beside, 5 bytes an n-gram (ngrams/format.ts).
 * Per text: a binary search per n-gram (and per shorter prefix it falls back to) per language of the script, about a
 * millisecond for a short Latin post against some 35 languages.
 */

const modelsByScript = new Map<string, NgramModel[]>();

function loadModels(script: string): NgramModel[] {
  let models = modelsByScript.get(script);
  if (models === undefined) {
    models = Object.entries(NGRAM_LANGUAGES)
      .filter(([, of]) => of === script)
      .map(([lang]) => readNgramModel(lang));
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

/** A text's words as Lingua reads them: lower-cased (I as ı with `turkic`), marks dropped, letters only. */
function words(text: string, turkic: boolean): string[] {
  return (
    lowerCase(text, turkic)
      .replace(/\p{M}/gu, '')
      .match(/\p{L}+/gu) ?? []
  );
}

/**
 * The text's distinct n-grams, each as the hashes of itself and its prefixes, longest first: what a language's
 * models are asked for, in the order Lingua falls back.
 */
function textNgrams(text: string, turkic: boolean): number[][] {
  const seen = new Set<string>();
  const ngrams: number[][] = [];
  for (const word of words(text, turkic)) {
    for (let length = 1; length <= NGRAM_ORDERS; length++) {
      for (let start = 0; start + length <= word.length; start++) {
        const ngram = word.slice(start, start + length);
        if (seen.has(ngram)) continue;
        seen.add(ngram);
        const chain: number[] = [];
        for (let end = start + length; end > start; end--) chain.push(ngramHash(word, start, end));
        ngrams.push(chain);
      }
    }
  }
  return ngrams;
}

/** Per language, how likely its n-grams make the text (Lingua's score, larger is likelier; undefined: no letter known). */
function score(model: NgramModel, ngrams: readonly number[][]): number | undefined {
  let sum = 0;
  let unigrams = 0;
  for (const chain of ngrams) {
    for (let at = 0; at < chain.length; at++) {
      const level = ngramLevel(model.orders[chain.length - 1 - at]!, chain[at]!);
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
  const ngrams = textNgrams(text, false);
  // Turkish and Azerbaijani read a capital I as ı: their models score the text as they lower-case it (the likelier
  // reading where capitals without İ leave it open).
  const casings = turkicCasings(text);
  const turkicNgrams = casings.turkic ? textNgrams(text, true) : undefined;
  const turkicScore = (model: NgramModel) => {
    const turkic = turkicNgrams === undefined ? undefined : score(model, turkicNgrams);
    const plain = casings.plain ? score(model, ngrams) : undefined;
    return turkic === undefined ? plain : plain === undefined ? turkic : Math.max(turkic, plain);
  };
  const scores: Array<[string, number]> = [];
  for (const model of loadModels(script)) {
    if (among !== undefined && !among.has(model.lang)) continue;
    const value = hasTurkicCasing(model.lang) ? turkicScore(model) : score(model, ngrams);
    if (value !== undefined) scores.push([model.lang, value]);
  }
  const best = Math.max(...scores.map(([, value]) => value));
  const total = scores.reduce((sum, [, value]) => sum + Math.exp(value - best), 0);
  return new Map(scores.map(([lang, value]) => [lang, Math.exp(value - best) / total]));
}

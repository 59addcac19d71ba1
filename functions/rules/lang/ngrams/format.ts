/**
 * The n-gram model files (ngram-models/<lang>.json.br, written by `npm run lang:ngrams`): brotli-compressed JSON
 * `{ "lang": "ur", "orders": [unigrams, bigrams, trigrams, quadrigrams, fivegrams] }`, each order an object from a
 * level to its n-grams, space-separated: an n-gram of level q has probability exp(−q / NGRAM_QUANTUM) (for n > 1,
 * given its first n − 1 letters), as Lingua's training counted it.
 */
export const NGRAM_ORDERS = 5;
/** Levels per unit of −ln p: a step of 1/16 changes a probability by 6%, well under what short text can tell. */
export const NGRAM_QUANTUM = 16;

export interface NgramModelFile {
  lang: string;
  orders: ReadonlyArray<Readonly<Record<string, string>>>;
}

/**
 * The n-gram model files (ngram-models/<lang>.bin.br, written by `npm run lang:ngrams`): one language's n-grams of one to
 * five letters with their levels, read into the tables scoring searches without JSON or strings (building the tables
 * from JSON left a heap about 3 times their size behind).
 *
 * Brotli-compressed, little-endian:
 * - the magic `FGNG`, the format version (1), the language code's length and its ASCII letters;
 * - per order n (unigrams first): the count of n-grams (uint32), their levels (one byte each), then their letters, n
 *   UTF-16 code units each, in the same order, sorted by their letters (so they compress to under two bytes an n-gram;
 *   their hashes would not compress at all).
 *
 * An n-gram of level q has probability exp(−q / NGRAM_QUANTUM) (for n > 1, given its first n − 1 letters), as Lingua's
 * training counted it; no level is 0, so 0 means absent.
 */
export const NGRAM_ORDERS = 5;
/** Levels per unit of −ln p: a step of 1/16 changes a probability by 6%, well under what short text can tell. */
export const NGRAM_QUANTUM = 16;
/** The largest level a byte holds; rarer n-grams are kept at it. */
export const NGRAM_MAX_LEVEL = 255;

const MAGIC = 'FGNG';
const VERSION = 1;

/** One order of a model: hashes ascending, each n-gram's level at the same index. */
export interface NgramOrderTable {
  hashes: Uint32Array;
  levels: Uint8Array;
}

export interface NgramModel {
  lang: string;
  /** Unigrams … fivegrams. */
  orders: NgramOrderTable[];
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the UTF-16 code units of text[start, end): how an n-gram is keyed in the files and looked up in a text. */
export function ngramHash(text: string, start = 0, end = text.length): number {
  let hash = FNV_OFFSET;
  for (let index = start; index < end; index++) hash = Math.imul(hash ^ text.charCodeAt(index), FNV_PRIME);
  return hash >>> 0;
}

/** The level of `hash` in `table`, or 0 (absent). */
export function ngramLevel(table: NgramOrderTable, hash: number): number {
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

/** A model file's bytes (before compression) from each order's n-grams (n UTF-16 code units each) and their levels (1 … NGRAM_MAX_LEVEL). */
export function encodeNgramModel(lang: string, orders: ReadonlyArray<ReadonlyArray<readonly [ngram: string, level: number]>>): Buffer {
  if (orders.length !== NGRAM_ORDERS) throw new Error(`an n-gram model has ${NGRAM_ORDERS} orders, not ${orders.length}`);
  const chunks: Buffer[] = [Buffer.from(MAGIC, 'latin1'), Buffer.from([VERSION, lang.length]), Buffer.from(lang, 'latin1')];
  orders.forEach((order, index) => {
    const sorted = [...order].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [ngram, level] of sorted) {
      if (ngram.length !== index + 1) throw new Error(`the n-gram "${ngram}" is not ${index + 1} UTF-16 code units long`);
      if (!Number.isInteger(level) || level < 1 || level > NGRAM_MAX_LEVEL)
        throw new Error(`the n-gram "${ngram}" has level ${level}, not 1 … ${NGRAM_MAX_LEVEL}`);
    }
    const count = Buffer.alloc(4);
    count.writeUInt32LE(sorted.length);
    chunks.push(count, Buffer.from(sorted.map(([, level]) => level)), Buffer.from(sorted.map(([ngram]) => ngram).join(''), 'utf16le'));
  });
  return Buffer.concat(chunks);
}

/** FNV-1a over `length` UTF-16LE code units of `bytes` from `at`: ngramHash of the n-gram written there. */
function hashUnits(bytes: Uint8Array, at: number, length: number): number {
  let hash = FNV_OFFSET;
  for (let unit = at, end = at + 2 * length; unit < end; unit += 2)
    hash = Math.imul(hash ^ (bytes[unit]! | (bytes[unit + 1]! << 8)), FNV_PRIME);
  return hash >>> 0;
}

/** A model from a file's bytes (after decompression); throws saying what is wrong with them. */
export function decodeNgramModel(bytes: Uint8Array): NgramModel {
  const fail = (what: string): never => {
    throw new Error(`not an n-gram model of format ${VERSION}: ${what}`);
  };
  if (bytes.length < 6 || String.fromCharCode(...bytes.subarray(0, 4)) !== MAGIC) fail(`it does not start with ${MAGIC}`);
  if (bytes[4] !== VERSION) fail(`its version is ${bytes[4]}`);
  let at = 6 + bytes[5]!;
  const lang = String.fromCharCode(...bytes.subarray(6, at));
  const orders: NgramOrderTable[] = [];
  for (let length = 1; length <= NGRAM_ORDERS; length++) {
    if (at + 4 > bytes.length) fail(`it ends before order ${length}`);
    const count = (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
    at += 4;
    const letters = at + count;
    if (letters + 2 * length * count > bytes.length) fail(`it ends inside order ${length}`);
    // hash·2⁸ + level is exact in a double and sorts by hash.
    const keyed = new Float64Array(count);
    for (let index = 0; index < count; index++)
      keyed[index] = hashUnits(bytes, letters + 2 * length * index, length) * 0x100 + bytes[at + index]!;
    keyed.sort();
    const hashes = new Uint32Array(count);
    const levels = new Uint8Array(count);
    for (let index = 0; index < count; index++) {
      const key = keyed[index]!;
      const hash = Math.floor(key / 0x100);
      hashes[index] = hash;
      levels[index] = key - hash * 0x100;
    }
    orders.push({ hashes, levels });
    at = letters + 2 * length * count;
  }
  if (at !== bytes.length) fail(`${bytes.length - at} more byte${bytes.length - at === 1 ? '' : 's'} after the last order`);
  return { lang, orders };
}

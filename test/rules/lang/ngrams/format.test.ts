import { describe, expect, it } from 'vitest';
import {
  decodeNgramModel,
  encodeNgramModel,
  NGRAM_MAX_LEVEL,
  ngramHash,
  ngramLevel,
} from '../../../../functions/rules/lang/ngrams/format.js';

/** A small model: per order, n-grams of that many letters with their levels. */
const ORDERS: Array<Array<[string, number]>> = [
  [
    ['a', 12],
    ['ı', 30],
    ['ے', 7],
  ],
  [
    ['ab', 20],
    ['ba', 9],
    ['ہے', 1],
  ],
  [['abc', NGRAM_MAX_LEVEL]],
  [],
  [
    ['پاکست', 44],
    ['abcde', 2],
  ],
];

describe('the n-gram model file format', () => {
  it('reads back every n-gram at its level, in every order, and nothing it was not given', () => {
    const model = decodeNgramModel(encodeNgramModel('ur', ORDERS));
    expect(model.lang).toBe('ur');
    ORDERS.forEach((order, index) => {
      const table = model.orders[index]!;
      expect(table.hashes).toHaveLength(order.length);
      for (const [ngram, level] of order) expect(ngramLevel(table, ngramHash(ngram))).toBe(level);
      expect([...table.hashes]).toEqual([...table.hashes].sort((a, b) => a - b));
    });
    expect(ngramLevel(model.orders[0]!, ngramHash('b'))).toBe(0);
    expect(ngramLevel(model.orders[1]!, ngramHash('ab'.slice(0, 1)))).toBe(0);
  });

  it('hashes a slice of a text as it hashes the n-gram alone', () => {
    expect(ngramHash('xپاکستانx', 1, 6)).toBe(ngramHash('پاکست'));
    expect(ngramHash('ab')).not.toBe(ngramHash('ba'));
  });

  it('refuses n-grams of the wrong length and levels a byte cannot hold, naming them', () => {
    const wrong = ORDERS.map((order) => [...order]);
    wrong[1]!.push(['abc', 3]);
    expect(() => encodeNgramModel('ur', wrong)).toThrow('the n-gram "abc" is not 2 UTF-16 code units long');
    const rare = ORDERS.map((order) => [...order]);
    rare[0]!.push(['z', NGRAM_MAX_LEVEL + 1]);
    expect(() => encodeNgramModel('ur', rare)).toThrow(`the n-gram "z" has level ${NGRAM_MAX_LEVEL + 1}, not 1 … ${NGRAM_MAX_LEVEL}`);
    expect(() => encodeNgramModel('ur', ORDERS.slice(0, 4))).toThrow('an n-gram model has 5 orders, not 4');
  });

  it('says what is wrong with bytes that are not a model', () => {
    const bytes = encodeNgramModel('ur', ORDERS);
    expect(() => decodeNgramModel(Buffer.from('{"lang":"ur"}'))).toThrow('not an n-gram model of format 1: it does not start with FGNG');
    const future = Buffer.from(bytes);
    future[4] = 2;
    expect(() => decodeNgramModel(future)).toThrow('not an n-gram model of format 1: its version is 2');
    expect(() => decodeNgramModel(bytes.subarray(0, bytes.length - 1))).toThrow('not an n-gram model of format 1: it ends inside order 5');
    expect(() => decodeNgramModel(Buffer.concat([bytes, Buffer.from([0])]))).toThrow(
      'not an n-gram model of format 1: 1 more byte after the last order',
    );
  });
});

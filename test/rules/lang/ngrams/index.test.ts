import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeNgramModel, NGRAM_ORDERS, ngramHash, ngramLevel } from '../../../../functions/rules/lang/ngrams/format.js';
import { ngramModelFile, readNgramModel } from '../../../../functions/rules/lang/ngrams/index.js';
import { NGRAM_LANGUAGES } from '../../../../functions/rules/lang/ngrams/languages.js';
import { NGRAM_MODELS_BESIDE, ngramModelsFolder } from '../../../../functions/rules/lang/ngrams/models-folder.js';
import { folderCopies } from '../../../support/folder-copies.js';

const REPO_MODELS = resolve(import.meta.dirname, '../../../../functions/rules/lang/ngrams/ngram-models');

describe('the n-gram models, read from the folder beside the code', () => {
  /** A copy of the repository's folder, to take one file away or spoil it. */
  const copy = folderCopies(REPO_MODELS, NGRAM_MODELS_BESIDE, 'foghorn-ngrams-');

  it("from the sources, is the repository's ngram-models/ folder: one file per language, Lingua's licence and the notice", () => {
    expect(ngramModelsFolder()).toBe(REPO_MODELS);
    const models = Object.keys(NGRAM_LANGUAGES).map(ngramModelFile);
    expect(readdirSync(REPO_MODELS).sort()).toEqual([...models, 'LICENSE', 'NOTICE'].sort());
    expect(readFileSync(join(REPO_MODELS, 'LICENSE'), 'utf8')).toContain('Apache License');
    expect(readFileSync(join(REPO_MODELS, 'NOTICE'), 'utf8')).toContain('Peter M. Stahl');
  });

  it('reads a language with its five orders, unigrams first', () => {
    const model = readNgramModel('ur');
    expect(model.lang).toBe('ur');
    expect(model.orders).toHaveLength(NGRAM_ORDERS);
    for (const letter of ['ے', 'ہ', 'ں']) expect(ngramLevel(model.orders[0]!, ngramHash(letter))).toBeGreaterThan(0);
    expect(ngramLevel(model.orders[0]!, ngramHash('q'))).toBe(0);
    // Urdu's commonest ending, ہے, and a five-letter n-gram of پاکستان.
    expect(ngramLevel(model.orders[1]!, ngramHash('ہے'))).toBeGreaterThan(0);
    expect(ngramLevel(model.orders[4]!, ngramHash('پاکست'))).toBeGreaterThan(0);
    expect(model.orders.every((order) => order.hashes.length === order.levels.length && order.hashes.length > 0)).toBe(true);
  });

  it('fails naming the file when a model is missing, never scoring without it', () => {
    const folder = copy();
    rmSync(join(folder, 'sw.bin.br'));
    expect(() => readNgramModel('sw', folder)).toThrow(
      `the n-gram model ${join(folder, 'sw.bin.br')} cannot be read (ENOENT): a bundle ships functions/rules/lang/ngrams/ngram-models beside its code as ngram-models/`,
    );
  });

  it('fails naming the file when a model is another language, spoilt or cut short', () => {
    const folder = copy();
    const file = join(folder, 'tr.bin.br');
    const orders = Array.from({ length: NGRAM_ORDERS }, (_, order) => [['a'.repeat(order + 1), 3] as const]);
    writeFileSync(file, brotliCompressSync(encodeNgramModel('az', orders)));
    expect(() => readNgramModel('tr', folder)).toThrow(`the n-gram model ${file} is not tr's: it is az's`);
    writeFileSync(file, brotliCompressSync(encodeNgramModel('tr', orders).subarray(0, 20)));
    expect(() => readNgramModel('tr', folder)).toThrow(
      `the n-gram model ${file} is not an n-gram model of format 1: it ends inside order 2`,
    );
    writeFileSync(file, brotliCompressSync(JSON.stringify({ lang: 'tr', orders: [{}, {}, {}, {}, {}] })));
    expect(() => readNgramModel('tr', folder)).toThrow(
      `the n-gram model ${file} is not an n-gram model of format 1: it does not start with FGNG`,
    );
    writeFileSync(file, 'not brotli');
    expect(() => readNgramModel('tr', folder)).toThrow(`the n-gram model ${file} cannot be read`);
  });
});

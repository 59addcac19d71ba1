import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { NGRAM_ORDERS } from '../../../../functions/rules/lang/ngrams/format.js';
import { readNgramModel } from '../../../../functions/rules/lang/ngrams/index.js';
import { NGRAM_LANGUAGES } from '../../../../functions/rules/lang/ngrams/languages.js';
import { NGRAM_MODELS_BESIDE, ngramModelsFolder } from '../../../../functions/rules/lang/ngrams/models-folder.js';
import { folderCopies } from '../../../support/folder-copies.js';

const REPO_MODELS = resolve(import.meta.dirname, '../../../../functions/rules/lang/ngrams/ngram-models');

describe('the n-gram models, read from the folder beside the code', () => {
  /** A copy of the repository's folder, to take one file away or spoil it. */
  const copy = folderCopies(REPO_MODELS, NGRAM_MODELS_BESIDE, 'foghorn-ngrams-');

  it("from the sources, is the repository's ngram-models/ folder: one file per language, Lingua's licence and the notice", () => {
    expect(ngramModelsFolder()).toBe(REPO_MODELS);
    const models = Object.keys(NGRAM_LANGUAGES).map((lang) => `${lang}.json.br`);
    expect(readdirSync(REPO_MODELS).sort()).toEqual([...models, 'LICENSE', 'NOTICE'].sort());
    expect(readFileSync(join(REPO_MODELS, 'LICENSE'), 'utf8')).toContain('Apache License');
    expect(readFileSync(join(REPO_MODELS, 'NOTICE'), 'utf8')).toContain('Peter M. Stahl');
  });

  it('reads a language with its five orders, unigrams first', () => {
    const model = readNgramModel('ur');
    expect(model.lang).toBe('ur');
    expect(model.orders).toHaveLength(NGRAM_ORDERS);
    const unigrams = Object.values(model.orders[0]!).join(' ').split(' ');
    expect(unigrams).toEqual(expect.arrayContaining(['ے', 'ہ', 'ں']));
    expect(Object.values(model.orders[4]!).join(' ').length).toBeGreaterThan(0);
  });

  it('fails naming the file when a model is missing, never scoring without it', () => {
    const folder = copy();
    rmSync(join(folder, 'sw.json.br'));
    expect(() => readNgramModel('sw', folder)).toThrow(
      `the n-gram model ${join(folder, 'sw.json.br')} cannot be read (ENOENT): a bundle ships functions/rules/lang/ngrams/ngram-models beside its code as ngram-models/`,
    );
  });

  it('fails naming the file when a model is another language or has too few orders', () => {
    const folder = copy();
    writeFileSync(join(folder, 'tr.json.br'), brotliCompressSync(JSON.stringify({ lang: 'az', orders: [{}, {}, {}, {}, {}] })));
    expect(() => readNgramModel('tr', folder)).toThrow(`the n-gram model ${join(folder, 'tr.json.br')} is not tr's`);
    writeFileSync(join(folder, 'tr.json.br'), brotliCompressSync(JSON.stringify({ lang: 'tr', orders: [{}] })));
    expect(() => readNgramModel('tr', folder)).toThrow(`the n-gram model ${join(folder, 'tr.json.br')} is not tr's`);
  });
});

import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLexicon } from '../../../../functions/rules/lang/lexicon/index.js';
import { LEXICON_LANGUAGES } from '../../../../functions/rules/lang/lexicon/languages.js';
import { LEXICON_WORDS_BESIDE, lexiconWordsFolder } from '../../../../functions/rules/lang/lexicon/words-folder.js';
import { folderCopies } from '../../../support/folder-copies.js';

const REPO_WORDS = resolve(import.meta.dirname, '../../../../functions/rules/lang/lexicon/words');

describe("the lexicon's word lists, read from the folder beside the code", () => {
  /** A copy of the repository's folder, to take one file away or spoil it. */
  const copy = folderCopies(REPO_WORDS, LEXICON_WORDS_BESIDE, 'foghorn-lexicon-');

  it("from the sources, is the repository's words/ folder, with one file per language and no other", () => {
    expect(lexiconWordsFolder()).toBe(REPO_WORDS);
    expect(readdirSync(REPO_WORDS).sort()).toEqual(LEXICON_LANGUAGES.map((lang) => `${lang}.json`).sort());
  });

  it('reads every language, in the order of its list, each with its words', () => {
    const lexicon = readLexicon();
    expect(lexicon.map(({ lang }) => lang)).toEqual([...LEXICON_LANGUAGES]);
    expect(
      lexicon
        .find(({ lang }) => lang === 'en')
        ?.words.split(' ')
        .slice(0, 3),
    ).toEqual(['the', 'of', 'and']);
    expect(lexicon.every(({ words }) => words.split(' ').length > 100)).toBe(true);
  });

  it('fails naming the file when a list is missing, never answering a lexicon without it', () => {
    const folder = copy();
    rmSync(join(folder, 'sw.json'));
    expect(() => readLexicon(folder)).toThrow(
      `the language lexicon's word list ${join(folder, 'sw.json')} cannot be read (ENOENT): a bundle ships functions/rules/lang/lexicon/words beside its code as words/`,
    );
  });

  it('fails naming the file when a list is not JSON or is another language', () => {
    const folder = copy();
    writeFileSync(join(folder, 'tr.json'), '{ "lang": "tr", ');
    expect(() => readLexicon(folder)).toThrow(`the language lexicon's word list ${join(folder, 'tr.json')} is not JSON`);
    writeFileSync(join(folder, 'tr.json'), JSON.stringify({ lang: 'az', words: 'bir iki' }));
    expect(() => readLexicon(folder)).toThrow(
      `the language lexicon's word list ${join(folder, 'tr.json')} is not tr's: expected { "lang": "tr", "words": "…" }`,
    );
  });
});

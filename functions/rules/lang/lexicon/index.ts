import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LEXICON_LANGUAGES } from './languages.js';
import { LEXICON_WORDS_BESIDE, lexiconWordsFolder } from './words-folder.js';

/** Per language, its commonest words, commonest first, separated by spaces. */
export type Lexicon = ReadonlyArray<{ lang: string; words: string }>;

/**
 * Reads every language's list (words/<lang>.json, about 2 MB in all) from the folder beside the code. The lists
 * are data files shipped beside a bundle, not code inside it: a cold start neither reads nor parses them until
 * text needs them. A list that is absent or not its language's fails naming the file, never a lexicon without it.
 */
export function readLexicon(folder: string = lexiconWordsFolder()): Lexicon {
  // Read synchronously: once per process, and about half the CPU time of 49 reads through the thread pool.
  return LEXICON_LANGUAGES.map((lang) => readList(join(folder, `${lang}.json`), lang));
}

function readList(file: string, lang: string): { lang: string; words: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(
      `the language lexicon's word list ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? error}): ` +
        `a bundle ships functions/rules/lang/lexicon/words beside its code as ${LEXICON_WORDS_BESIDE}/`,
    );
  }
  let list: { lang?: unknown; words?: unknown };
  try {
    list = JSON.parse(text) as typeof list;
  } catch (error) {
    throw new Error(`the language lexicon's word list ${file} is not JSON: ${(error as Error).message}`);
  }
  if (list.lang !== lang || typeof list.words !== 'string' || list.words === '')
    throw new Error(`the language lexicon's word list ${file} is not ${lang}'s: expected { "lang": "${lang}", "words": "…" }`);
  return { lang, words: list.words };
}

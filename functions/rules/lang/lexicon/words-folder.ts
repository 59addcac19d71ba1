import { fileURLToPath } from 'node:url';

/**
 * The folder of the word lists beside the code that reads them: `words/` next to this module in the repository,
 * and next to a bundle's code file (index.mjs, or the chunk holding this module) wherever it is bundled, so every
 * bundler copies the repository's folder there under this name.
 */
export const LEXICON_WORDS_BESIDE = 'words';

/**
 * Where the word lists are for the code running now: resolved from this module's own URL, which in a bundle is
 * the bundle's file. From the sources it is the repository's folder, the one bundlers copy.
 */
export function lexiconWordsFolder(): string {
  return fileURLToPath(new URL(`./${LEXICON_WORDS_BESIDE}`, import.meta.url));
}

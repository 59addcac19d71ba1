import { fileURLToPath } from 'node:url';

/**
 * The folder of the n-gram models beside the code that reads them: `ngram-models/` next to this module in the
 * repository, and next to a bundle's code file (index.mjs, or the chunk holding this module) wherever it is bundled,
 * so every bundler copies the repository's folder there under this name.
 */
export const NGRAM_MODELS_BESIDE = 'ngram-models';

/** Where the models are for the code running now: resolved from this module's own URL, which in a bundle is the bundle's file. */
export function ngramModelsFolder(): string {
  return fileURLToPath(new URL(`./${NGRAM_MODELS_BESIDE}`, import.meta.url));
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { decodeNgramModel, type NgramModel } from './format.js';
import { NGRAM_MODELS_BESIDE, ngramModelsFolder } from './models-folder.js';

/** The file name of a language's model in ngram-models/. */
export function ngramModelFile(lang: string): string {
  return `${lang}.bin.br`;
}

/**
 * Reads one language's model (ngram-models/<lang>.bin.br, 0.1–0.6 MB) from the folder beside the code. The models are
 * data files shipped beside a bundle, not code inside it: nothing reads them until short text in their script needs
 * them. A model that is absent, spoilt or not its language's fails naming the file, never detection without it.
 */
export function readNgramModel(lang: string, folder: string = ngramModelsFolder()): NgramModel {
  const file = join(folder, ngramModelFile(lang));
  let bytes: Uint8Array;
  try {
    bytes = brotliDecompressSync(readFileSync(file));
  } catch (error) {
    throw new Error(
      `the n-gram model ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): ` +
        `a bundle ships functions/rules/lang/ngrams/ngram-models beside its code as ${NGRAM_MODELS_BESIDE}/`,
    );
  }
  let model: NgramModel;
  try {
    model = decodeNgramModel(bytes);
  } catch (error) {
    throw new Error(`the n-gram model ${file} is ${(error as Error).message}`);
  }
  if (model.lang !== lang) throw new Error(`the n-gram model ${file} is not ${lang}'s: it is ${model.lang}'s`);
  return model;
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { NGRAM_ORDERS, type NgramModelFile } from './format.js';
import { NGRAM_MODELS_BESIDE, ngramModelsFolder } from './models-folder.js';

/**
 * Reads one language's model (ngram-models/<lang>.json.br, 0.1–0.4 MB) from the folder beside the code. The models are
 * data files shipped beside a bundle, not code inside it: nothing reads them until short text in their script needs
 * them. A model that is absent or not its language's fails naming the file, never detection without it.
 */
export function readNgramModel(lang: string, folder: string = ngramModelsFolder()): NgramModelFile {
  const file = join(folder, `${lang}.json.br`);
  let text: string;
  try {
    text = brotliDecompressSync(readFileSync(file)).toString('utf8');
  } catch (error) {
    throw new Error(
      `the n-gram model ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): ` +
        `a bundle ships functions/rules/lang/ngrams/ngram-models beside its code as ${NGRAM_MODELS_BESIDE}/`,
    );
  }
  let model: { lang?: unknown; orders?: unknown };
  try {
    model = JSON.parse(text) as typeof model;
  } catch (error) {
    throw new Error(`the n-gram model ${file} is not JSON: ${(error as Error).message}`);
  }
  if (model.lang !== lang || !Array.isArray(model.orders) || model.orders.length !== NGRAM_ORDERS)
    throw new Error(`the n-gram model ${file} is not ${lang}'s: expected { "lang": "${lang}", "orders": [${NGRAM_ORDERS} orders] }`);
  return model as NgramModelFile;
}

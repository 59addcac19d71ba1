import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * fastText's language identification model (lid.176.ftz, 176 languages, by Facebook, CC BY-SA 3.0) in
 * WebAssembly, as the npm package fasttext.wasm.js (MIT) ships it: 0.9 MB of model and 0.3 MB of
 * WebAssembly, +16 MB of RSS once loaded, a few hundredths of a millisecond per short post. It only
 * votes on short Latin and Cyrillic text that CLD3 did not decide (detect.ts); measurements in
 * docs/language-detection.md.
 */

/** Each language the model names for a text, with its probability (the top ones only). */
export type LanguageProbabilities = ReadonlyMap<string, number>;

export interface FastTextLanguageModel {
  languages(text: string): LanguageProbabilities;
}

/** The model and the WebAssembly it runs on, as files. */
export interface FastTextFiles {
  model: string;
  wasm: string;
}

/** How many of the model's answers are read: past the tenth the probabilities are negligible. */
const TOP = 10;

/** fastText's labels that differ from the codes Foghorn uses (Egyptian Arabic is Arabic to a reply). */
const FASTTEXT_CODES: Readonly<Record<string, string>> = { arz: 'ar' };

/** The folder beside a bundle's code file (index.mjs) that holds the two files: bundles ship the package as one JS file. */
export const FASTTEXT_BESIDE = 'fasttext';
const MODEL_FILE = 'lid.176.ftz';
const WASM_FILE = 'fastText.node.wasm';

/** The files inside the installed package (the sources, `npm start`, the tests). */
export function fastTextPackageFiles(): FastTextFiles {
  // The package's main is dist/main/node.cjs.
  const dist = dirname(dirname(createRequire(import.meta.url).resolve('fasttext.wasm.js')));
  return { model: join(dist, 'models/language-identification/assets', MODEL_FILE), wasm: join(dist, 'core', WASM_FILE) };
}

/** What a bundle copies beside its code file, for the model to load there (infra/stack.ts). */
export function fastTextFilesBeside(): Array<{ from: string; to: string }> {
  const files = fastTextPackageFiles();
  return [
    { from: files.model, to: join(FASTTEXT_BESIDE, MODEL_FILE) },
    { from: files.wasm, to: join(FASTTEXT_BESIDE, WASM_FILE) },
  ];
}

/** Beside the code running now if a bundle shipped them there (this module's URL is then the bundle's), else the package's. */
export function fastTextFiles(): FastTextFiles {
  const beside = fileURLToPath(new URL(`./${FASTTEXT_BESIDE}/`, import.meta.url));
  if (existsSync(join(beside, MODEL_FILE))) return { model: join(beside, MODEL_FILE), wasm: join(beside, WASM_FILE) };
  return fastTextPackageFiles();
}

interface EmbindVector<T> {
  size(): number;
  get(index: number): T;
  delete(): void;
}

interface NativeModel {
  predict(text: string, k: number, threshold: number): EmbindVector<[number, string]>;
}

/** The fastText answers for `text` as a language → probability map (fastText reads one line: newlines become spaces). */
export function readPredictions(model: NativeModel, text: string): LanguageProbabilities {
  const vector = model.predict(text.replace(/\s+/g, ' '), TOP, 0);
  const out = new Map<string, number>();
  try {
    for (let index = 0; index < vector.size(); index++) {
      const [probability, label] = vector.get(index);
      const raw = label.replace('__label__', '');
      const lang = FASTTEXT_CODES[raw] ?? raw;
      out.set(lang, (out.get(lang) ?? 0) + probability);
    }
  } finally {
    // An embind vector lives in the WebAssembly heap until deleted.
    vector.delete();
  }
  return out;
}

type FastTextPackage = Pick<typeof import('fasttext.wasm.js'), 'getFastTextClass' | 'getFastTextModule'>;

export interface LoadFastTextOptions {
  importPackage?: () => Promise<FastTextPackage>;
  files?: FastTextFiles;
}

/**
 * Loads the model from the files given (fastTextFiles() by default) with fasttext.wasm.js's code. Rejects
 * with what failed and where it looked: a bundle without the files must not detect silently worse.
 */
export async function loadFastText(options: LoadFastTextOptions = {}): Promise<FastTextLanguageModel> {
  const files = options.files ?? fastTextFiles();
  try {
    const { getFastTextClass, getFastTextModule } = await (options.importPackage ?? (() => import('fasttext.wasm.js')))();
    for (const file of [files.model, files.wasm]) if (!existsSync(file)) throw new Error(`${file} is missing`);
    const FastText = await getFastTextClass({ getFastTextModule: () => getFastTextModule({ wasmPath: files.wasm }) });
    const model = (await new FastText().loadModel(pathToFileURL(files.model).href)) as unknown as NativeModel;
    return { languages: (text) => readPredictions(model, text) };
  } catch (error) {
    throw new Error(
      `language detection: the fastText model (fasttext.wasm.js with ${MODEL_FILE}, at ${files.model}) could not load: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

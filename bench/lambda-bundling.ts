import { cpSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { fastTextFilesBeside } from '../functions/rules/lang/fasttext.js';
import { LEXICON_WORDS_BESIDE, lexiconWordsFolder } from '../functions/rules/lang/lexicon/words-folder.js';
import { NGRAM_MODELS_BESIDE, ngramModelsFolder } from '../functions/rules/lang/ngrams/models-folder.js';

/**
 * esbuild's options for a Lambda bundle, as infra/constructs/foghorn-function.ts gives them to NodejsFunction:
 * one minified ESM file for Node 22, names kept, the AWS SDK left to the runtime, the packages shipped beside the
 * bundle left out, esbuild's Node default for main fields, and the CommonJS shim in the banner. The bench and the
 * bundle's test build with these, so both see what deploys.
 */
export function lambdaBundling(modulesBeside: readonly string[]): BuildOptions {
  return {
    bundle: true,
    minify: true,
    keepNames: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['@aws-sdk/*', ...modulesBeside],
    banner: {
      js: [
        "import { createRequire as __foghornCreateRequire } from 'node:module';",
        'const require = __foghornCreateRequire(import.meta.url);',
        'const __filename = import.meta.filename;',
        'const __dirname = import.meta.dirname;',
      ].join(' '),
    },
    logLevel: 'silent',
  };
}

/** What infra/stack.ts ships beside the evaluate function's index.mjs, imported only on first need. */
export const EVALUATE_MODULES_BESIDE = [
  'cld3-asm',
  'fasttext.wasm.js',
  're2js',
  '@aws-lambda-powertools/tracer',
  'json-rules-engine',
] as const;

/** What infra/stack.ts copies beside the evaluate function's index.mjs as data files: the lexicon's word lists, the n-gram models, fastText's model. */
export const EVALUATE_FILES_BESIDE: ReadonlyArray<{ from: string; to: string }> = [
  { from: lexiconWordsFolder(), to: LEXICON_WORDS_BESIDE },
  { from: ngramModelsFolder(), to: NGRAM_MODELS_BESIDE },
  ...fastTextFilesBeside(),
];

/** Copies EVALUATE_FILES_BESIDE into `outDir`, the folder of a bundle's code file, as the stack's bundling does. */
export function copyFilesBeside(outDir: string): void {
  for (const { from, to } of EVALUATE_FILES_BESIDE) cpSync(from, join(outDir, to), { recursive: true });
}

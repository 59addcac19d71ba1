import type { BuildOptions } from 'esbuild';

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

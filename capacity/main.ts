import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { LEXICON_WORDS_BESIDE, lexiconWordsFolder } from '../functions/rules/lang/lexicon/words-folder.js';
import { NGRAM_MODELS_BESIDE, ngramModelsFolder } from '../functions/rules/lang/ngrams/models-folder.js';

/**
 * `npm run capacity -- …`: bundles the model with esbuild and runs the bundle in a plain Node process. The stages
 * load their SDK clients and rule source with dynamic import(), which under tsx's loader cost a round trip to its
 * worker thread each time; bundled, as on Lambda, they cost what they cost there. Packages stay outside the bundle
 * (node_modules is beside it), so dynalite finds its own files.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'node_modules', '.cache', 'foghorn-capacity', 'capacity.mjs');
mkdirSync(dirname(outfile), { recursive: true });
await build({
  entryPoints: [join(root, 'capacity', 'bundled-main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
// The language lexicon's word lists and the n-gram models are data read from beside the bundled code, as on Lambda.
cpSync(lexiconWordsFolder(), join(dirname(outfile), LEXICON_WORDS_BESIDE), { recursive: true });
cpSync(ngramModelsFolder(), join(dirname(outfile), NGRAM_MODELS_BESIDE), { recursive: true });
const child = spawnSync(process.execPath, ['--no-deprecation', outfile, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
});
process.exit(child.status ?? 2);

// npm run lang:accuracy [-- DIR]: Foghorn's detection (the text alone, no priors) per language and length
// (sentences, word pairs, single words) on a corpus cut like Lingua's test data, by default the one built
// from public corpora in test/rules/fixtures/lang-corpus (sources in its README). A folder of flat
// `*.jsonl` posts (test/rules/fixtures/lang) gets the per-language table instead. When the shared peer
// sample is present (../shared/peer-data/lang, or FOGHORN_LANG_PEER_DATA), the same table is printed
// on it beside Lingua's published figures: read-only, to check, never to tune.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  accuracyByLengthTable,
  accuracyTable,
  hasLengthCategories,
  measureAccuracy,
  measureByLength,
  type PublishedAccuracy,
  readLabelledPosts,
} from '../../functions/rules/lang/accuracy.js';
import { detectLanguage } from '../../functions/rules/lang/detect.js';

const VERDICT = ['fa', 'ar', 'he', 'ur', 'sw', 'tr', 'ru', 'en'];
const NEIGHBOURS = ['kk', 'az'];

const dir = resolve(process.argv[2] ?? 'test/rules/fixtures/lang-corpus');
const out = (text: string) => process.stdout.write(`${text}\n`);

if (hasLengthCategories(dir)) {
  const table = await measureByLength(dir, detectLanguage);
  const langs = [...VERDICT, ...NEIGHBOURS].filter((lang) => table[lang] !== undefined);
  out(`Foghorn on ${dir} (percent correct; the text alone, no priors)\n\n${accuracyByLengthTable(table, langs, VERDICT)}\n`);
} else {
  const posts = readLabelledPosts(dir);
  out(`${posts.length} labelled posts from ${dir}\n\n${accuracyTable(await measureAccuracy(posts, detectLanguage))}\n`);
}

const peer = [process.env.FOGHORN_LANG_PEER_DATA, '../shared/peer-data/lang', '../../shared/peer-data/lang']
  .filter((path): path is string => path !== undefined)
  .map((path) => resolve(path))
  .find((path) => existsSync(resolve(path, 'published.json')) && hasLengthCategories(path));
if (peer !== undefined) {
  const published = JSON.parse(readFileSync(resolve(peer, 'published.json'), 'utf8')) as { detectors: PublishedAccuracy };
  const table = await measureByLength(peer, detectLanguage);
  const langs = [...VERDICT, ...NEIGHBOURS].filter((lang) => table[lang] !== undefined);
  const lingua = { name: 'Lingua', figures: published.detectors['lingua-high-accuracy'] ?? {} };
  out(
    `Foghorn on the peer sample ${peer}, beside Lingua's published figures (lingua-high-accuracy)\n\n${accuracyByLengthTable(table, langs, VERDICT, lingua)}`,
  );
}

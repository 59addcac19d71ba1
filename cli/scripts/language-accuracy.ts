// npm run lang:accuracy [-- DIR]: Foghorn's detection (the text alone, no priors) per language and length
// (sentences, word pairs, single words) on a corpus cut like Lingua's test data, by default the one built
// from public corpora in test/rules/fixtures/lang-corpus (sources in its README). A folder of flat
// `*.jsonl` posts (test/rules/fixtures/lang) gets the per-language table instead. When the shared peer
// sample is present (../shared/peer-data/lang, or FOGHORN_LANG_PEER_DATA), the same table is printed
// on it beside Lingua's published figures: read-only, to check, never to tune. `--expected fa,ar,…`
// measures the detector as a team config's `language.expected` sets it. `--lingua` prints Lingua itself, run on the same
// items (lingua-reference.ts fetches it), beside Foghorn on the corpus and on the peer sample.
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
import { createLanguageDetector, detectLanguage } from '../../functions/rules/lang/detect.js';
import { LINGUA_PUBLISHED } from './lingua-published.js';
import { LINGUA_PACKAGE, linguaByLength } from './lingua-reference.js';

const VERDICT = ['fa', 'ar', 'he', 'ur', 'sw', 'tr', 'ru', 'en'];
const NEIGHBOURS = ['kk', 'az'];

const args = process.argv.slice(2);
const linguaAt = args.indexOf('--lingua');
const withLingua = linguaAt !== -1;
if (withLingua) args.splice(linguaAt, 1);
const expectedAt = args.indexOf('--expected');
const expected = expectedAt === -1 ? undefined : args.splice(expectedAt, 2)[1]?.split(',');
if (expectedAt !== -1 && (expected === undefined || expected.some((lang) => !/^[a-z]{2,3}$/.test(lang)))) {
  process.stderr.write('--expected needs language codes separated by commas: --expected fa,ar,en\n');
  process.exit(2);
}
const detect = expected === undefined ? detectLanguage : createLanguageDetector({ expected });
const dir = resolve(args[0] ?? 'test/rules/fixtures/lang-corpus');
const mode = expected === undefined ? '' : `, language.expected: ${expected.join(', ')}`;
const out = (text: string) => process.stdout.write(`${text}\n`);

const peer = [process.env.FOGHORN_LANG_PEER_DATA, '../shared/peer-data/lang', '../../shared/peer-data/lang']
  .filter((path): path is string => path !== undefined)
  .map((path) => resolve(path))
  .find((path) => existsSync(resolve(path, 'published.json')) && hasLengthCategories(path));
if (withLingua && !hasLengthCategories(dir)) {
  process.stderr.write(`--lingua needs a folder cut like Lingua's test data (${dir} has no sentences/word-pairs/single-words.jsonl)\n`);
  process.exit(2);
}
const [linguaOnCorpus, linguaOnPeer] = withLingua ? await linguaByLength(peer === undefined ? [dir] : [dir, peer]) : [];
const linguaRun = (figures: typeof linguaOnCorpus | undefined) => (figures === undefined ? undefined : { name: 'Lingua run', figures });

if (hasLengthCategories(dir)) {
  const table = await measureByLength(dir, detect);
  const langs = [...VERDICT, ...NEIGHBOURS].filter((lang) => table[lang] !== undefined);
  // Beside Lingua run on these items with --lingua; otherwise beside its published figures, which are on its own test
  // data (1,000 items per language and length), not on these items.
  const beside =
    linguaOnCorpus === undefined
      ? ", beside Lingua's published figures on its own test data (lingua-high-accuracy; --lingua runs it on these items)"
      : `, beside Lingua run on the same items (${LINGUA_PACKAGE}, all its languages)`;
  const lingua = linguaRun(linguaOnCorpus) ?? { name: 'Lingua (published)', figures: LINGUA_PUBLISHED };
  out(
    `Foghorn on ${dir} (percent correct; the text alone, no priors${mode})${beside}\n\n${accuracyByLengthTable(table, langs, VERDICT, lingua)}\n`,
  );
} else {
  const posts = readLabelledPosts(dir);
  out(`${posts.length} labelled posts from ${dir}${mode}\n\n${accuracyTable(await measureAccuracy(posts, detect))}\n`);
}

if (peer !== undefined) {
  const published = JSON.parse(readFileSync(resolve(peer, 'published.json'), 'utf8')) as { detectors: PublishedAccuracy };
  const table = await measureByLength(peer, detect);
  const langs = [...VERDICT, ...NEIGHBOURS].filter((lang) => table[lang] !== undefined);
  const lingua = { name: 'Lingua', figures: published.detectors['lingua-high-accuracy'] ?? {} };
  out(
    `Foghorn on the peer sample ${peer}${mode}, beside Lingua's published figures (lingua-high-accuracy)\n\n${accuracyByLengthTable(table, langs, VERDICT, lingua)}`,
  );
  const run = linguaRun(linguaOnPeer);
  if (run !== undefined) {
    out(
      `\nThe same, beside Lingua run on these very items (${LINGUA_PACKAGE}, all its languages)\n\n${accuracyByLengthTable(table, langs, VERDICT, run)}`,
    );
  }
}

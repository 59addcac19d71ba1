// npm run lang:accuracy: per-language accuracy of Foghorn's detector on the labelled posts
// (test/rules/fixtures/lang), as the markdown table kept in docs/language-detection.md.
import { resolve } from 'node:path';
import { accuracyTable, measureAccuracy, readLabelledPosts } from '../../functions/rules/lang/accuracy.js';
import { detectLanguage } from '../../functions/rules/lang/detect.js';

const dir = resolve(process.argv[2] ?? 'test/rules/fixtures/lang');
const posts = readLabelledPosts(dir);
process.stdout.write(`${posts.length} labelled posts from ${dir}\n\n${accuracyTable(await measureAccuracy(posts, detectLanguage))}\n`);

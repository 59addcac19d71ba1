// npm run text:match-rates [-- FILE]: per language and category, how often a rule's phrase matches the ways
// people write it, with the script-wide fold alone and with the per-language matching layer, on the peer-derived
// cases the tests keep (test/text/peer/fixtures/matching-peers.json, each case citing its source). When the shared
// peer sample is present (../shared/peer-data/peer2, or FOGHORN_MATCH_PEER_DATA), the same table is printed on it:
// read-only, to check, never to tune.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { matchRatesTable, measureMatchRates, parseMatchCases, peerSampleCases, ratesByLanguage } from '../../functions/text/match-rates.js';

const file = resolve(process.argv[2] ?? 'test/text/peer/fixtures/matching-peers.json');
const out = (text: string) => process.stdout.write(`${text}\n`);

let document: unknown;
try {
  document = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  process.stderr.write(`text:match-rates: cannot read ${file}: ${(error as Error).message}\n`);
  process.exit(2);
}
const cases = parseMatchCases(document, file);
const rates = measureMatchRates(cases);
out(`${cases.length} cases from ${file} (percent answered right: fires when it must, silent when it must)\n`);
out(`By language\n\n${matchRatesTable(ratesByLanguage(rates))}\n`);
out(`By category\n\n${matchRatesTable(rates)}\n`);

const peer = [process.env.FOGHORN_MATCH_PEER_DATA, '../shared/peer-data/peer2', '../../shared/peer-data/peer2']
  .filter((path): path is string => path !== undefined)
  .map((path) => resolve(path, 'expected.jsonl'))
  .find((path) => existsSync(path));
if (peer !== undefined) {
  const sample = peerSampleCases(readFileSync(peer, 'utf8'));
  if (sample.length > 0) {
    out(
      `${sample.length} cases of the shared peer sample ${peer} (checking only)\n\n${matchRatesTable(ratesByLanguage(measureMatchRates(sample)))}`,
    );
  }
}

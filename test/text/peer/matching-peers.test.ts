import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { caseFires, type MatchCase, parseMatchCases } from '../../../functions/text/match-rates.js';

/**
 * Cases from other projects' normaliser and segmenter test suites, typed in (a handful per category,
 * fixtures/matching-peers.json): the peer's input is the post, its normalised or segmented form the rule's
 * phrase. Each names the repository and file it comes from. `npm run text:match-rates` prints their rates
 * with and without the layer; the behaviour tests of the layer are beside the modules' own tests.
 */
const FILE = 'test/text/peer/fixtures/matching-peers.json';
const CASES = parseMatchCases(JSON.parse(readFileSync(FILE, 'utf8')), FILE);

const byCategory = new Map<string, MatchCase[]>();
for (const peer of CASES) byCategory.set(peer.category, [...(byCategory.get(peer.category) ?? []), peer]);

describe('peer test suites: a phrase matches the ways the peers write it', () => {
  it('holds cases for every language the layer serves', () => {
    expect(new Set(CASES.map((peer) => peer.lang))).toEqual(new Set(['ar', 'he', 'fa', 'ur', 'ckb', 'tr']));
    expect(CASES.filter((peer) => !peer.fires).length).toBeGreaterThan(0);
  });

  for (const [category, cases] of byCategory) {
    it(category, () => {
      for (const peer of cases) expect(caseFires(peer, true), `${peer.phrase} ← ${peer.post} (${peer.source})`).toBe(peer.fires);
    });
  }
});

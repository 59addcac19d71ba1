import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LENGTH_CATEGORIES, type LengthCategory, measureByLength } from '../../../functions/rules/lang/accuracy.js';
import { createLanguageDetector, detectLanguage } from '../../../functions/rules/lang/detect.js';

// Built from public corpora (UD treebanks, Tatoeba, Global Voices): sources and licences in its README.
const CORPUS = 'test/rules/fixtures/lang-corpus';

/**
 * Floors a few points under what the detector measures on the corpus (docs/language-detection.md keeps
 * the table), at every length: rules decide the Arabic script, Hebrew and Kazakh's letters; CLD3 with
 * the commonest-words lexicon with fastText's and Lingua's n-gram models' votes decides short Latin-script text and
 * Kazakh without its own letters; the n-gram models break the Arabic script's ties.
 */
const FLOORS: Record<string, Partial<Record<LengthCategory, number>>> = {
  fa: { sentences: 93, 'word-pairs': 90, 'single-words': 82 },
  ar: { sentences: 93, 'word-pairs': 95, 'single-words': 91 },
  he: { sentences: 95, 'word-pairs': 95, 'single-words': 95 },
  ur: { sentences: 95, 'word-pairs': 87, 'single-words': 86 },
  sw: { sentences: 92, 'word-pairs': 90, 'single-words': 71 },
  tr: { sentences: 95, 'word-pairs': 90, 'single-words': 75 },
  ru: { sentences: 95, 'word-pairs': 95, 'single-words': 95 },
  en: { sentences: 92, 'word-pairs': 93, 'single-words': 77 },
  kk: { sentences: 95, 'word-pairs': 93, 'single-words': 88 },
};

/** With `language.expected` naming the corpus's languages: only short undecided text is read differently. */
const EXPECTED = ['fa', 'ar', 'he', 'ur', 'sw', 'tr', 'ru', 'en', 'kk', 'az'];
const FLOORS_WITH_EXPECTED: Record<string, Partial<Record<LengthCategory, number>>> = {
  ...FLOORS,
  sw: { sentences: 95, 'word-pairs': 92, 'single-words': 88 },
  tr: { sentences: 90, 'word-pairs': 95, 'single-words': 86 },
  ru: { sentences: 95, 'word-pairs': 97, 'single-words': 97 },
  en: { sentences: 95, 'word-pairs': 97, 'single-words': 93 },
  kk: { sentences: 95, 'word-pairs': 93, 'single-words': 88 },
};

function expectFloors(table: Awaited<ReturnType<typeof measureByLength>>, floors: typeof FLOORS): void {
  for (const [lang, byLength] of Object.entries(floors)) {
    for (const [category, floor] of Object.entries(byLength)) {
      const cell = table[lang]![category as LengthCategory]!;
      expect((100 * cell.correct) / cell.posts, `${lang} ${category}`).toBeGreaterThanOrEqual(floor);
    }
  }
}

describe('detection on the corpus built from public sources', () => {
  it('every item names its source, and the three lengths cover the eight languages and Kazakh', () => {
    for (const category of LENGTH_CATEGORIES) {
      const rows = readFileSync(`${CORPUS}/${category}.jsonl`, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { text: string; lang: string; source: string });
      expect(new Set(rows.map((row) => row.lang))).toEqual(new Set(Object.keys(FLOORS)));
      for (const row of rows) expect(row.source, row.text).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{7}:\S+#sentence\d+$/);
    }
  });

  it('meets the floors per language and length', async () => {
    expectFloors(await measureByLength(CORPUS, detectLanguage), FLOORS);
  });

  it("meets the higher floors with the team's languages expected", async () => {
    expectFloors(await measureByLength(CORPUS, createLanguageDetector({ expected: EXPECTED })), FLOORS_WITH_EXPECTED);
  });
});

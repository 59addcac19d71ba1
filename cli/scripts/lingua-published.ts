import type { LengthCategory } from '../../functions/rules/lang/accuracy.js';

/**
 * Lingua's published accuracy (percent correct, high-accuracy mode, choosing among its 75 languages, on its own test
 * data: 1,000 items per language and length from Leipzig's Wortschatz corpora), for the languages Foghorn is measured
 * on. Source: pemistahl/lingua-py, accuracy-reports/{sentences,word-pairs,single-words}-accuracy-values.csv, column
 * `lingua-high-accuracy` (lingua-py 2.2.0, reports of 2026-03-03; Apache-2.0). `npm run lang:accuracy` prints them
 * beside Foghorn's figures; `--lingua` runs Lingua on the same items instead, the fairer comparison.
 */
export const LINGUA_PUBLISHED: Readonly<Record<string, Readonly<Record<LengthCategory, number>>>> = {
  fa: { sentences: 99.5, 'word-pairs': 93.7, 'single-words': 77.6 },
  ar: { sentences: 99.9, 'word-pairs': 99.2, 'single-words': 96.4 },
  he: { sentences: 99.6, 'word-pairs': 100, 'single-words': 100 },
  ur: { sentences: 95.7, 'word-pairs': 94.5, 'single-words': 80 },
  sw: { sentences: 98.4, 'word-pairs': 84.6, 'single-words': 60.4 },
  tr: { sentences: 99.8, 'word-pairs': 97.6, 'single-words': 83.9 },
  ru: { sentences: 97.8, 'word-pairs': 94.8, 'single-words': 76.5 },
  en: { sentences: 99.3, 'word-pairs': 88.5, 'single-words': 54.5 },
  kk: { sentences: 99.9, 'word-pairs': 97.9, 'single-words': 89.3 },
  az: { sentences: 99.3, 'word-pairs': 92.3, 'single-words': 77.4 },
};

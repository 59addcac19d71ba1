import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accuracyByLengthTable, hasLengthCategories, measureByLength } from '../../../functions/rules/lang/accuracy.js';

function corpus(files: Record<string, string[]>): string {
  const dir = mkdtempSync(join(tmpdir(), 'foghorn-lang-'));
  mkdirSync(dir, { recursive: true });
  for (const [name, rows] of Object.entries(files)) writeFileSync(join(dir, name), `${rows.join('\n')}\n`);
  return dir;
}

describe('the accuracy table per language and length', () => {
  it('knows a corpus cut by length only when all three files are there', () => {
    const row = JSON.stringify({ text: 'سلام', lang: 'fa' });
    expect(hasLengthCategories(corpus({ 'sentences.jsonl': [row], 'word-pairs.jsonl': [row], 'single-words.jsonl': [row] }))).toBe(true);
    expect(hasLengthCategories(corpus({ 'sentences.jsonl': [row], 'word-pairs.jsonl': [row] }))).toBe(false);
  });

  it('counts each length apart and prints Foghorn beside the published figures, with a mean over the verdict languages', async () => {
    const post = (text: string, lang: string) => JSON.stringify({ text, lang });
    const dir = corpus({
      'sentences.jsonl': [post('fa one', 'fa'), post('fa two', 'fa'), post('en one', 'en')],
      'word-pairs.jsonl': [post('fa three', 'fa'), '', post('en two', 'en')],
      'single-words.jsonl': [post('en three', 'en')],
    });
    // A detector that reads the language from the text, and gets "fa two" wrong.
    const table = await measureByLength(dir, async (text) => (text === 'fa two' ? 'ar' : text.slice(0, 2)));
    expect(table).toEqual({
      fa: { sentences: { correct: 1, posts: 2 }, 'word-pairs': { correct: 1, posts: 1 } },
      en: { sentences: { correct: 1, posts: 1 }, 'word-pairs': { correct: 1, posts: 1 }, 'single-words': { correct: 1, posts: 1 } },
    });
    const printed = accuracyByLengthTable(table, ['fa', 'en'], ['fa', 'en'], {
      name: 'Lingua',
      figures: { fa: { sentences: 99, 'word-pairs': 90, 'single-words': 80 }, en: { sentences: 98 } },
    }).split('\n');
    expect(printed[0]).toBe('| language | sentences: Foghorn | Lingua | word pairs: Foghorn | Lingua | single words: Foghorn | Lingua |');
    expect(printed[2]).toBe('| fa | 50.0 | 99.0 | 100.0 | 90.0 | - | 80.0 |');
    expect(printed[3]).toBe('| en | 100.0 | 98.0 | 100.0 | - | 100.0 | - |');
    // A mean only where every verdict language has a figure.
    expect(printed[4]).toBe('| **mean of fa, en** | 75.0 | 98.5 | 100.0 | - | - | - |');
    expect(printed.at(-1)).toBe('items: sentences 3, word-pairs 2, single-words 1');
    expect(accuracyByLengthTable(table, ['en'], ['en']).split('\n')[2]).toBe('| en | 100.0 | 100.0 | 100.0 |');
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LabelledPost {
  lang: string;
  text: string;
}

export interface LanguageAccuracy {
  lang: string;
  posts: number;
  correct: number;
  /** Posts of at least 20 characters, and how many of them were right. */
  longPosts: number;
  longCorrect: number;
  /** Wrong answers, by the language given. */
  confusions: Record<string, number>;
}

/** Labelled posts from every `*.jsonl` file in `dir` (one `{"lang", "text"}` object a line). */
export function readLabelledPosts(dir: string): LabelledPost[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.jsonl'))
    .sort()
    .flatMap((file) =>
      readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as LabelledPost),
    );
}

export const LONG_POST_LENGTH = 20;

/** Per-language accuracy of `detect` on `posts`, in the order the languages first appear. */
export async function measureAccuracy(
  posts: readonly LabelledPost[],
  detect: (text: string) => Promise<string | undefined>,
): Promise<LanguageAccuracy[]> {
  const byLang = new Map<string, LanguageAccuracy>();
  for (const post of posts) {
    const row = byLang.get(post.lang) ?? { lang: post.lang, posts: 0, correct: 0, longPosts: 0, longCorrect: 0, confusions: {} };
    byLang.set(post.lang, row);
    const answer = await detect(post.text);
    const right = answer === post.lang;
    const long = [...post.text].length >= LONG_POST_LENGTH;
    row.posts++;
    if (long) row.longPosts++;
    if (right) {
      row.correct++;
      if (long) row.longCorrect++;
    } else {
      const key = answer ?? 'none';
      row.confusions[key] = (row.confusions[key] ?? 0) + 1;
    }
  }
  return [...byLang.values()];
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`;
}

export function accuracyTable(rows: readonly LanguageAccuracy[]): string {
  const total = rows.reduce(
    (sum, row) => ({
      posts: sum.posts + row.posts,
      correct: sum.correct + row.correct,
      longPosts: sum.longPosts + row.longPosts,
      longCorrect: sum.longCorrect + row.longCorrect,
    }),
    { posts: 0, correct: 0, longPosts: 0, longCorrect: 0 },
  );
  const lines = [
    '| language | posts | accuracy | posts ≥ 20 chars | accuracy ≥ 20 chars | wrong answers |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${row.lang} | ${row.posts} | ${percent(row.correct, row.posts)} | ${row.longPosts} | ${percent(row.longCorrect, row.longPosts)} | ${
          Object.entries(row.confusions)
            .map(([lang, count]) => `${lang}×${count}`)
            .join(', ') || '—'
        } |`,
    ),
    `| **all** | ${total.posts} | ${percent(total.correct, total.posts)} | ${total.longPosts} | ${percent(total.longCorrect, total.longPosts)} | |`,
  ];
  return lines.join('\n');
}

/** The lengths Lingua's test data is cut into, and the file each is kept in (`<category>.jsonl`). */
export const LENGTH_CATEGORIES = ['sentences', 'word-pairs', 'single-words'] as const;
export type LengthCategory = (typeof LENGTH_CATEGORIES)[number];

/** Percent correct per language and length category. */
export type AccuracyByLength = Record<string, Partial<Record<LengthCategory, { correct: number; posts: number }>>>;

/** True when `dir` holds the three length files (a corpus cut like Lingua's test data). */
export function hasLengthCategories(dir: string): boolean {
  const files = new Set(readdirSync(dir));
  return LENGTH_CATEGORIES.every((category) => files.has(`${category}.jsonl`));
}

/** Accuracy of `detect` per language and length on `dir/<category>.jsonl`. */
export async function measureByLength(dir: string, detect: (text: string) => Promise<string | undefined>): Promise<AccuracyByLength> {
  const table: AccuracyByLength = {};
  for (const category of LENGTH_CATEGORIES) {
    const lines = readFileSync(join(dir, `${category}.jsonl`), 'utf8').split('\n');
    for (const line of lines) {
      if (line.trim() === '') continue;
      const post = JSON.parse(line) as LabelledPost;
      const cell = ((table[post.lang] ??= {})[category] ??= { correct: 0, posts: 0 });
      cell.posts++;
      if ((await detect(post.text)) === post.lang) cell.correct++;
    }
  }
  return table;
}

/** Lingua's published figures (`published.json` beside the peer sample): detector → language → category → percent. */
export type PublishedAccuracy = Record<string, Record<string, Partial<Record<LengthCategory, number>>>>;

/** A cell's percent correct, or undefined for a cell without posts. */
export function cellPercent(cell: { correct: number; posts: number } | undefined): number | undefined {
  return cell === undefined || cell.posts === 0 ? undefined : (100 * cell.correct) / cell.posts;
}

function formatPercent(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '-' : value.toFixed(1);
}

/**
 * The markdown table: a row per language (in `langs` order), a column per length, each cell Foghorn's
 * percent and, when `published` is given, the published detector's beside it; a mean row over `verdict`.
 */
export function accuracyByLengthTable(
  table: AccuracyByLength,
  langs: readonly string[],
  verdict: readonly string[],
  published?: { name: string; figures: Record<string, Partial<Record<LengthCategory, number>>> },
): string {
  const headers = LENGTH_CATEGORIES.map((category) => category.replace('-', ' '));
  const columns = published ? headers.flatMap((header) => [`${header}: Foghorn`, published.name]) : headers;
  const row = (lang: string, values: Array<number | undefined>) => `| ${lang} | ${values.map(formatPercent).join(' | ')} |`;
  const valuesOf = (lang: string) =>
    LENGTH_CATEGORIES.flatMap((category) => {
      const ours = cellPercent(table[lang]?.[category]);
      return published ? [ours, published.figures[lang]?.[category]] : [ours];
    });
  const mean = columns.map((_, index) => {
    const values = verdict.map((lang) => valuesOf(lang)[index]).filter((value): value is number => value !== undefined);
    return values.length === verdict.length ? values.reduce((sum, value) => sum + value, 0) / values.length : undefined;
  });
  const count = (category: LengthCategory) => langs.reduce((sum, lang) => sum + (table[lang]?.[category]?.posts ?? 0), 0);
  return [
    `| language | ${columns.join(' | ')} |`,
    `|---|${columns.map(() => '---|').join('')}`,
    ...langs.map((lang) => row(lang, valuesOf(lang))),
    row(`**mean of ${verdict.join(', ')}**`, mean),
    '',
    `items: ${LENGTH_CATEGORIES.map((category) => `${category} ${count(category)}`).join(', ')}`,
  ].join('\n');
}

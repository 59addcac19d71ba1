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

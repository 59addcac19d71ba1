/**
 * The language of each author's recent posts, in memory: the last few languages the text itself
 * decided, per author, for the posts too short to decide alone. Bounded (the least recently seen
 * authors are forgotten first) and per process: on AWS each warm function instance learns on its own,
 * which costs nothing; a shared table would cost a write per post for a prior that only breaks ties.
 */
export class AuthorLanguages {
  private readonly recent = new Map<string, string[]>();

  constructor(
    private readonly capacity = 10_000,
    private readonly remembered = 5,
  ) {}

  /** Records a language the text decided for `author`'s post. */
  record(author: string, lang: string): void {
    const langs = this.recent.get(author) ?? [];
    this.recent.delete(author);
    langs.push(lang);
    if (langs.length > this.remembered) langs.shift();
    this.recent.set(author, langs);
    if (this.recent.size > this.capacity) this.recent.delete(this.recent.keys().next().value!);
  }

  /** The commonest of the author's recent languages (the latest among equals), or undefined. */
  languageOf(author: string): string | undefined {
    const langs = this.recent.get(author);
    if (langs === undefined) return undefined;
    const counts = new Map<string, number>();
    let best: string | undefined;
    for (const lang of langs) {
      const n = (counts.get(lang) ?? 0) + 1;
      counts.set(lang, n);
      if (best === undefined || n >= counts.get(best)!) best = lang;
    }
    return best;
  }
}

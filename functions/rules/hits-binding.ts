import type { FoldedPhrase, PhraseHits } from '../matcher/index.js';

/**
 * A phrase source's link to the index's scans (PhraseHits): its containsAny conditions register their phrases, and
 * when the index binds the source each phrase gets the id of its needle, or -1 where the index does not look for it
 * (then the condition searches the fold itself). Bound by a second index (the same plugin compiled twice), it keeps
 * neither: both matchers then search the fold.
 */
export class HitsBinding {
  hits: PhraseHits | undefined;
  private shared = false;
  private readonly registered: Array<{ phrases: readonly FoldedPhrase[]; needles: Int32Array }> = [];

  /** Per phrase two entries: its needle id (-1 until bound, or none), and 1 when it has several tokens. */
  register(phrases: readonly FoldedPhrase[]): Int32Array {
    const needles = new Int32Array(phrases.length * 2).fill(-1);
    const entry = { phrases, needles };
    this.registered.push(entry);
    if (this.hits !== undefined) this.fill(entry, this.hits);
    return needles;
  }

  bind(hits: PhraseHits): void {
    if (this.shared || hits === this.hits) return;
    if (this.hits !== undefined) {
      this.shared = true;
      this.hits = undefined;
      for (const { needles } of this.registered) needles.fill(-1);
      return;
    }
    this.hits = hits;
    for (const entry of this.registered) this.fill(entry, hits);
  }

  private fill({ phrases, needles }: { phrases: readonly FoldedPhrase[]; needles: Int32Array }, hits: PhraseHits): void {
    phrases.forEach((phrase, i) => {
      // A phrase that is not plain is left to findPhrase, which reads it in the fold's string.
      needles[2 * i] = phrase.starts === undefined ? -1 : hits.needleOf(phrase.units);
      needles[2 * i + 1] = (phrase.starts?.length ?? 0) > 0 ? 1 : 0;
    });
  }
}

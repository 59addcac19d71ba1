import { type FoldedPhrase, type PhraseHits, PREFIX_OPEN } from '../matcher/index.js';

/** A needle entry's kind (HitsBinding.needles): the phrase has several tokens; its prefix rule is kind / PREFIXES_UNIT. */
export const MULTI_TOKEN = 1;
export const PREFIXES_UNIT = 2;

/**
 * A phrase source's link to the index's scans (PhraseHits): its containsAny conditions register their phrases, and
 * when the index binds the source each phrase gets the id of its needle, or -1 where the index does not look for it
 * (then the condition searches the fold itself). Bound by a second index (the same plugin compiled twice), it keeps
 * neither: both matchers then search the fold.
 *
 * Every condition's entries are in one typed array (`needles`), from the offset register() gave: at thousands of
 * rules an array per condition is one more object a candidate reaches.
 */
export class HitsBinding {
  hits: PhraseHits | undefined;
  /**
   * Per phrase two entries: its needle id (-1 until bound, or none), and its kind: MULTI_TOKEN when it has several
   * tokens, plus its FoldedPhrase.prefixes times PREFIXES_UNIT. Grows while conditions register.
   */
  needles = new Int32Array(64);
  private size = 0;
  private shared = false;
  private readonly registered: Array<{ phrases: readonly FoldedPhrase[]; offset: number }> = [];

  /** Where the phrases' entries start in `needles` (2 per phrase). */
  register(phrases: readonly FoldedPhrase[]): number {
    const offset = this.size;
    this.size += phrases.length * 2;
    if (this.size > this.needles.length) {
      const grown = new Int32Array(Math.max(this.size, this.needles.length * 2));
      grown.set(this.needles);
      this.needles = grown;
    }
    this.needles.fill(-1, offset, this.size);
    const entry = { phrases, offset };
    this.registered.push(entry);
    if (this.hits !== undefined) this.fill(entry, this.hits);
    return offset;
  }

  bind(hits: PhraseHits): void {
    if (this.shared || hits === this.hits) return;
    if (this.hits !== undefined) {
      this.shared = true;
      this.hits = undefined;
      this.needles.fill(-1, 0, this.size);
      return;
    }
    this.hits = hits;
    for (const entry of this.registered) this.fill(entry, hits);
  }

  private fill({ phrases, offset }: { phrases: readonly FoldedPhrase[]; offset: number }, hits: PhraseHits): void {
    const { needles } = this;
    phrases.forEach((phrase, i) => {
      // A phrase that is not plain is left to findPhrase, which reads it in the fold's string.
      needles[offset + 2 * i] = phrase.starts === undefined ? -1 : hits.needleOf(phrase.units);
      needles[offset + 2 * i + 1] =
        ((phrase.starts?.length ?? 0) > 0 ? MULTI_TOKEN : 0) | ((phrase.prefixes ?? PREFIX_OPEN) * PREFIXES_UNIT);
    });
  }
}

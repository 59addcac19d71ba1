import type { NeedleAutomaton } from './needle-automaton.js';
import {
  ABSENT,
  type FoldedText,
  MAYBE,
  occurrenceVerdict,
  type PhraseVerdict,
  PREFIX_OPEN,
  PRESENT,
  type PrefixRule,
} from './text-fold.js';

/**
 * Where the index's automaton found each needle in the last fold it scanned for one phrase source, so a text
 * condition answers a phrase from those occurrences instead of searching the fold again: a phrase the scan did
 * not find is ABSENT after one typed-array read, and one it found is judged at the units where it was found
 * (occurrenceVerdict, as findPhrase judges it). At thousands of rules this spares each candidate the phrase
 * objects and strings findPhrase reads, which are mostly out of the cache.
 *
 * Valid for one fold only (`folded`): a condition asks only when the fold it holds is that one, since another
 * event's fold may have been scanned meanwhile (match() awaits asynchronous facts between the two).
 */
export class PhraseHits {
  /** The fold the occurrences below are of; undefined before the first scan. */
  folded: FoldedText | undefined;
  private readonly automaton: NeedleAutomaton;
  /** Per needle: the scan that last found it, and its latest occurrence then (an index into ends), -1 none. */
  private readonly seen: Uint32Array;
  private readonly head: Int32Array;
  /** Per occurrence: the unit where it ends, and the needle's occurrence before it (-1: none). */
  private ends = new Int32Array(64);
  private link = new Int32Array(64);
  private epoch = 0;

  constructor(automaton: NeedleAutomaton, nodes: number) {
    this.automaton = automaton;
    this.seen = new Uint32Array(nodes);
    this.head = new Int32Array(nodes);
  }

  /** The needle id of a phrase's units, or -1 when the automaton does not look for them. */
  needleOf(units: string): number {
    return this.automaton.needleOf(units);
  }

  /** Takes the occurrences one scan of `folded` found: `found[k]` ended at unit `ends[k]`. */
  record(folded: FoldedText, found: readonly number[], ends: readonly number[]): void {
    this.epoch = (this.epoch + 1) >>> 0;
    if (this.epoch === 0) {
      this.seen.fill(0);
      this.epoch = 1;
    }
    if (found.length > this.ends.length) {
      this.ends = new Int32Array(found.length * 2);
      this.link = new Int32Array(found.length * 2);
    }
    const { seen, head, epoch } = this;
    for (let k = 0; k < found.length; k++) {
      const id = found[k] as number;
      this.ends[k] = ends[k] as number;
      this.link[k] = seen[id] === epoch ? (head[id] as number) : -1;
      seen[id] = epoch;
      head[id] = k;
    }
    this.folded = folded;
  }

  /**
   * The verdict on needle `id` in the fold last recorded, as findPhrase gives it for a phrase whose units are the
   * needle: `starts` are the phrase's token starts (FoldedPhrase.starts), `prefixes` its FoldedPhrase.prefixes.
   */
  verdict(id: number, starts: readonly number[], prefixes: PrefixRule = PREFIX_OPEN): PhraseVerdict {
    if (this.seen[id] !== this.epoch) return ABSENT;
    const folded = this.folded as FoldedText;
    const size = this.automaton.lengthOf(id);
    let verdict: PhraseVerdict = ABSENT;
    for (let k = this.head[id] as number; k !== -1; k = this.link[k] as number) {
      const found = occurrenceVerdict(folded, (this.ends[k] as number) - size + 1, size, starts, prefixes);
      if (found === PRESENT) return PRESENT;
      if (found === MAYBE) verdict = MAYBE;
    }
    return verdict;
  }
}

import { END, type FoldedText, START } from './text-fold.js';

/**
 * Aho–Corasick over UTF-16 code units: every needle (a phrase's fold) in one automaton, so finding
 * which occur in a post's fold is one pass over it, whatever the number of needles.
 */
interface NeedleNode {
  next: Map<number, number> | undefined;
  fail: number;
  /** Length of the needle ending at this node (its depth). */
  depth: number;
  /** Needles ending here or at a node on the failure chain. */
  output: readonly number[];
}

const NO_OUTPUT: readonly number[] = [];

export class NeedleAutomaton {
  private readonly nodes: NeedleNode[] = [{ next: undefined, fail: 0, depth: 0, output: NO_OUTPUT }];
  private readonly ends = new Set<number>();
  /** The root's transitions by code unit (-1: none): most steps of a scan start from the root. */
  private readonly root = new Int32Array(0x10000).fill(-1);
  private built = false;

  /** Adds a non-empty needle and returns its id (the same needle gives the same id). */
  add(needle: string): number {
    if (this.built) throw new Error('NeedleAutomaton: add() after build()');
    if (needle === '') throw new Error('NeedleAutomaton: a needle needs at least one character');
    let state = 0;
    for (let i = 0; i < needle.length; i++) {
      const node = this.nodes[state] as NeedleNode;
      const code = needle.charCodeAt(i);
      let target = node.next?.get(code);
      if (target === undefined) {
        target = this.nodes.length;
        this.nodes.push({ next: undefined, fail: 0, depth: i + 1, output: NO_OUTPUT });
        (node.next ??= new Map()).set(code, target);
      }
      state = target;
    }
    this.ends.add(state);
    return state;
  }

  build(): void {
    const queue: number[] = [...((this.nodes[0] as NeedleNode).next?.values() ?? [])];
    for (let head = 0; head < queue.length; head++) {
      const id = queue[head] as number;
      const node = this.nodes[id] as NeedleNode;
      for (const [code, child] of node.next ?? []) {
        let fail = node.fail;
        while (fail !== 0 && !(this.nodes[fail] as NeedleNode).next?.has(code)) fail = (this.nodes[fail] as NeedleNode).fail;
        const target = (this.nodes[fail] as NeedleNode).next?.get(code);
        (this.nodes[child] as NeedleNode).fail = target !== undefined && target !== child ? target : 0;
        queue.push(child);
      }
    }
    for (const id of queue) {
      const node = this.nodes[id] as NeedleNode;
      const inherited = (this.nodes[node.fail] as NeedleNode).output;
      node.output = this.ends.has(id) ? [id, ...inherited] : inherited;
    }
    for (const [code, child] of (this.nodes[0] as NeedleNode).next ?? []) this.root[code] = child;
    this.built = true;
  }

  /**
   * Appends to `found` the id of every needle occurring in `folded` (once per occurrence) that starts
   * where a token may start and ends where one may end.
   */
  scan(folded: FoldedText, found: number[]): void {
    const nodes = this.nodes;
    const root = this.root;
    const { units, length, flags } = folded;
    let state = 0;
    for (let i = 0; i < length; i++) {
      const code = units[i] as number;
      let target = state === 0 ? undefined : (nodes[state] as NeedleNode).next?.get(code);
      while (target === undefined && state !== 0) {
        state = (nodes[state] as NeedleNode).fail;
        if (state !== 0) target = (nodes[state] as NeedleNode).next?.get(code);
      }
      if (target === undefined) {
        const fromRoot = root[code] as number;
        state = fromRoot === -1 ? 0 : fromRoot;
      } else {
        state = target;
      }
      if (((flags[i] as number) & END) === 0) continue;
      const output = (nodes[state] as NeedleNode).output;
      for (let k = 0; k < output.length; k++) {
        const id = output[k] as number;
        if (((flags[i + 1 - (nodes[id] as NeedleNode).depth] as number) & START) !== 0) found.push(id);
      }
    }
  }
}

import { END, type FoldedText, MAY_START } from './text-fold.js';
import { int32FromText, int32ToText, uint16FromText, uint16ToText } from './typed-array-text.js';

/**
 * Aho–Corasick over UTF-16 code units: every needle (a phrase's fold) in one automaton, so finding
 * which occur in a post's fold is one pass over it, whatever the number of needles. Built from a
 * trie of Maps, then flattened into typed arrays: the root's transitions as a table by code unit
 * (most steps of a scan start there), every other node's as a sorted run of (code, target) pairs,
 * failure links, and outputs in one list. A scan allocates nothing.
 */
interface TrieNode {
  next: Map<number, number> | undefined;
  fail: number;
  depth: number;
}

const EMPTY = new Int32Array(0);

/** A built automaton as JSON: its typed arrays in base64, the root's transitions as (code, target) pairs. */
export interface NeedleAutomatonSnapshot {
  root: string;
  edgeStart: string;
  edgeCode: string;
  edgeTarget: string;
  fail: string;
  depth: string;
  outputStart: string;
  outputs: string;
}

export class NeedleAutomaton {
  private trie: TrieNode[] | undefined = [{ next: undefined, fail: 0, depth: 0 }];
  private readonly ends = new Set<number>();
  /** The root's transitions by code unit (-1: none). */
  private readonly root = new Int32Array(0x10000).fill(-1);
  /** Node n's transitions are edgeCode/edgeTarget[edgeStart[n]..edgeStart[n+1]), by ascending code. */
  private edgeStart = EMPTY;
  private edgeCode = new Uint16Array(0);
  private edgeTarget = EMPTY;
  private fail = EMPTY;
  /** Length of the needle ending at a node (its depth). */
  private depth = EMPTY;
  /** Needles ending at node n or on its failure chain: outputs[outputStart[n]..outputStart[n+1]). */
  private outputStart = EMPTY;
  private outputs = EMPTY;

  /** Adds a non-empty needle and returns its id (the same needle gives the same id). */
  add(needle: string): number {
    const trie = this.trie;
    if (trie === undefined) throw new Error('NeedleAutomaton: add() after build()');
    if (needle === '') throw new Error('NeedleAutomaton: a needle needs at least one character');
    let state = 0;
    for (let i = 0; i < needle.length; i++) {
      const node = trie[state] as TrieNode;
      const code = needle.charCodeAt(i);
      let target = node.next?.get(code);
      if (target === undefined) {
        target = trie.length;
        trie.push({ next: undefined, fail: 0, depth: i + 1 });
        (node.next ??= new Map()).set(code, target);
      }
      state = target;
    }
    this.ends.add(state);
    return state;
  }

  build(): void {
    const trie = this.trie;
    if (trie === undefined) return;
    const queue: number[] = [...((trie[0] as TrieNode).next?.values() ?? [])];
    for (let head = 0; head < queue.length; head++) {
      const node = trie[queue[head] as number] as TrieNode;
      for (const [code, child] of node.next ?? []) {
        let fail = node.fail;
        while (fail !== 0 && !(trie[fail] as TrieNode).next?.has(code)) fail = (trie[fail] as TrieNode).fail;
        const target = (trie[fail] as TrieNode).next?.get(code);
        (trie[child] as TrieNode).fail = target !== undefined && target !== child ? target : 0;
        queue.push(child);
      }
    }
    const count = trie.length;
    this.fail = new Int32Array(count);
    this.depth = new Int32Array(count);
    this.edgeStart = new Int32Array(count + 1);
    this.outputStart = new Int32Array(count + 1);
    const codes: number[] = [];
    const targets: number[] = [];
    for (let id = 0; id < count; id++) {
      const node = trie[id] as TrieNode;
      this.fail[id] = node.fail;
      this.depth[id] = node.depth;
      this.edgeStart[id] = codes.length;
      if (id === 0 || node.next === undefined) continue;
      for (const code of [...node.next.keys()].sort((a, b) => a - b)) {
        codes.push(code);
        targets.push(node.next.get(code) as number);
      }
    }
    this.edgeStart[count] = codes.length;
    this.edgeCode = Uint16Array.from(codes);
    this.edgeTarget = Int32Array.from(targets);
    // Outputs in BFS order: a node's failure target comes earlier, so its list is already known.
    const lists: number[][] = new Array(count);
    lists[0] = [];
    for (const id of queue) {
      const inherited = lists[(trie[id] as TrieNode).fail] as number[];
      lists[id] = this.ends.has(id) ? [id, ...inherited] : inherited;
    }
    const flat: number[] = [];
    for (let id = 0; id < count; id++) {
      this.outputStart[id] = flat.length;
      for (const out of lists[id] ?? []) flat.push(out);
    }
    this.outputStart[count] = flat.length;
    this.outputs = Int32Array.from(flat);
    for (const [code, child] of (trie[0] as TrieNode).next ?? []) this.root[code] = child;
    this.trie = undefined;
  }

  /** The built automaton, to be restored with fromSnapshot() without building it again. */
  snapshot(): NeedleAutomatonSnapshot {
    if (this.trie !== undefined) throw new Error('NeedleAutomaton: snapshot() before build()');
    const root: number[] = [];
    for (let code = 0; code < this.root.length; code++) if (this.root[code] !== -1) root.push(code, this.root[code] as number);
    return {
      root: int32ToText(Int32Array.from(root)),
      edgeStart: int32ToText(this.edgeStart),
      edgeCode: uint16ToText(this.edgeCode),
      edgeTarget: int32ToText(this.edgeTarget),
      fail: int32ToText(this.fail),
      depth: int32ToText(this.depth),
      outputStart: int32ToText(this.outputStart),
      outputs: int32ToText(this.outputs),
    };
  }

  /** An automaton as snapshot() saved it; needle ids are those add() gave when it was built. */
  static fromSnapshot(snapshot: NeedleAutomatonSnapshot): NeedleAutomaton {
    const automaton = new NeedleAutomaton();
    automaton.trie = undefined;
    const root = int32FromText(snapshot.root);
    for (let i = 0; i + 1 < root.length; i += 2) automaton.root[root[i] as number] = root[i + 1] as number;
    automaton.edgeStart = int32FromText(snapshot.edgeStart);
    automaton.edgeCode = uint16FromText(snapshot.edgeCode);
    automaton.edgeTarget = int32FromText(snapshot.edgeTarget);
    automaton.fail = int32FromText(snapshot.fail);
    automaton.depth = int32FromText(snapshot.depth);
    automaton.outputStart = int32FromText(snapshot.outputStart);
    automaton.outputs = int32FromText(snapshot.outputs);
    const nodes = automaton.fail.length;
    if (automaton.edgeStart.length !== nodes + 1 || automaton.outputStart.length !== nodes + 1 || automaton.depth.length !== nodes) {
      throw new Error('NeedleAutomaton: a snapshot whose arrays do not agree in length');
    }
    return automaton;
  }

  /** The id add() gave `needle` (its node), or -1 when it is not one of the needles. */
  needleOf(needle: string): number {
    if (this.trie !== undefined) throw new Error('NeedleAutomaton: needleOf() before build()');
    if (needle === '') return -1;
    let state = this.root[needle.charCodeAt(0)] as number;
    for (let i = 1; i < needle.length && state !== -1; i++) {
      const code = needle.charCodeAt(i);
      let target = -1;
      for (let e = this.edgeStart[state] as number, last = this.edgeStart[state + 1] as number; e < last; e++) {
        if (this.edgeCode[e] === code) {
          target = this.edgeTarget[e] as number;
          break;
        }
      }
      state = target;
    }
    // A node ends a needle when it heads its own list of outputs.
    if (state === -1 || this.outputStart[state] === this.outputStart[state + 1]) return -1;
    return this.outputs[this.outputStart[state] as number] === state ? state : -1;
  }

  /** How many nodes the built automaton has: needle ids are below it. */
  get nodes(): number {
    return this.fail.length;
  }

  /** The length of needle `id`. */
  lengthOf(id: number): number {
    return this.depth[id] as number;
  }

  /**
   * Appends to `found` the id of every needle occurring in `folded` (once per occurrence) that starts
   * where a token may start (or a word behind prefix letters) and ends where one may end; to `ends`, if given,
   * the unit where each ends.
   */
  scan(folded: FoldedText, found: number[], ends?: number[]): void {
    const { root, edgeStart, edgeCode, edgeTarget, fail, depth, outputStart, outputs } = this;
    const units = folded.units;
    const flags = folded.flags;
    const length = folded.length;
    let state = 0;
    for (let i = 0; i < length; i++) {
      const code = units[i] as number;
      while (state !== 0) {
        let target = -1;
        for (let e = edgeStart[state] as number, last = edgeStart[state + 1] as number; e < last; e++) {
          const edge = edgeCode[e] as number;
          if (edge >= code) {
            if (edge === code) target = edgeTarget[e] as number;
            break;
          }
        }
        if (target !== -1) {
          state = target;
          break;
        }
        state = fail[state] as number;
      }
      if (state === 0) {
        // Most units of a post lead nowhere from the root, and the root ends no needle.
        const fromRoot = root[code] as number;
        if (fromRoot === -1) continue;
        state = fromRoot;
      }
      if (((flags[i] as number) & END) === 0) continue;
      for (let k = outputStart[state] as number, last = outputStart[state + 1] as number; k < last; k++) {
        const id = outputs[k] as number;
        if (((flags[i + 1 - (depth[id] as number)] as number) & MAY_START) !== 0) {
          found.push(id);
          ends?.push(i);
        }
      }
    }
  }
}

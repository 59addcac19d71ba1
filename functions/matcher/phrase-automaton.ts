/**
 * Aho–Corasick over tokens: every phrase (a token sequence) of one text source in one automaton, so
 * finding which phrases occur costs one pass over the event's tokens whatever the number of phrases.
 */
interface AutomatonNode {
  next: ReadonlyMap<string, number>;
  fail: number;
  /** Phrase ids ending here, including those reached through failure links. */
  output: readonly number[];
}

/** Shared by every node without transitions (most are phrase ends), so they cost no Map. */
const NO_TRANSITIONS: ReadonlyMap<string, number> = new Map();
const NO_OUTPUT: readonly number[] = [];

export class PhraseAutomaton {
  private readonly nodes: AutomatonNode[] = [{ next: new Map(), fail: 0, output: NO_OUTPUT }];
  private readonly phraseEnds = new Set<number>();
  /** Two-character prefixes of the tokens that can start a phrase: most tokens of a post are rejected without a lookup. */
  private readonly starts = new Uint8Array(65_536);
  private built = false;

  /** Adds a non-empty phrase and returns its id (the same tokens give the same id). */
  add(tokens: readonly string[]): number {
    if (this.built) throw new Error('PhraseAutomaton: add() after build()');
    if (tokens.length === 0) throw new Error('PhraseAutomaton: a phrase needs at least one token');
    let state = 0;
    for (const token of tokens) {
      const node = this.nodes[state] as AutomatonNode;
      let target = node.next.get(token);
      if (target === undefined) {
        target = this.nodes.length;
        this.nodes.push({ next: NO_TRANSITIONS, fail: 0, output: NO_OUTPUT });
        if (node.next === NO_TRANSITIONS) node.next = new Map();
        (node.next as Map<string, number>).set(token, target);
      }
      state = target;
    }
    this.phraseEnds.add(state);
    return state;
  }

  build(): void {
    const queue: number[] = [];
    for (const child of (this.nodes[0] as AutomatonNode).next.values()) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const id = queue[head] as number;
      const node = this.nodes[id] as AutomatonNode;
      for (const [token, child] of node.next) {
        let fail = node.fail;
        while (fail !== 0 && !(this.nodes[fail] as AutomatonNode).next.has(token)) fail = (this.nodes[fail] as AutomatonNode).fail;
        const target = (this.nodes[fail] as AutomatonNode).next.get(token);
        (this.nodes[child] as AutomatonNode).fail = target !== undefined && target !== child ? target : 0;
        queue.push(child);
      }
    }
    for (const token of (this.nodes[0] as AutomatonNode).next.keys()) this.starts[prefixHash(token)] = 1;
    // Outputs: a node's own phrase (if one ends there) plus everything its failure chain ends.
    const ends = this.phraseEnds;
    for (const id of queue) {
      const node = this.nodes[id] as AutomatonNode;
      const inherited = (this.nodes[node.fail] as AutomatonNode).output;
      node.output = ends.has(id) ? [id, ...inherited] : inherited;
    }
    this.built = true;
  }

  /**
   * Appends to `found` the id of every phrase occurring in `tokens` (once per occurrence), each token
   * read through `symbol` first.
   */
  scan(tokens: readonly string[], found: number[], symbol: (token: string) => string = (token) => token): void {
    const nodes = this.nodes;
    const starts = this.starts;
    let state = 0;
    for (let i = 0; i < tokens.length; i++) {
      const token = symbol(tokens[i] as string);
      if (state === 0 && starts[prefixHash(token)] === 0) continue;
      let target = (nodes[state] as AutomatonNode).next.get(token);
      while (target === undefined && state !== 0) {
        state = (nodes[state] as AutomatonNode).fail;
        target = state === 0 && starts[prefixHash(token)] === 0 ? undefined : (nodes[state] as AutomatonNode).next.get(token);
      }
      state = target ?? 0;
      const output = (nodes[state] as AutomatonNode).output;
      for (let k = 0; k < output.length; k++) found.push(output[k] as number);
    }
  }
}

function prefixHash(token: string): number {
  return ((token.charCodeAt(0) << 5) ^ (token.length > 1 ? token.charCodeAt(1) : 0x7f)) & 0xffff;
}

import type { EventContext } from './condition-compiler.js';
import type { FactReader } from './fact-reader.js';
import type { Atom, Group, Guard, PhraseSource, Primitive } from './guard.js';
import { NeedleAutomaton } from './needle-automaton.js';
import { PhraseAutomaton } from './phrase-automaton.js';

/**
 * The phrases of one text source. With a fold (text-fold.ts), a cheap sound superset of where
 * phrases occur, rules are found in the post's fold, and the rules module's text analysis runs only
 * when a candidate's cheaper conditions hold (its own evaluation asks for it): most posts are never
 * analysed. Without a fold, phrases are found in the post's tokens.
 */
type SourceIndex =
  | { kind: 'fold'; fold: NonNullable<PhraseSource['fold']>; automaton: NeedleAutomaton; postings: Map<number, number[]> }
  | { kind: 'tokens'; source: PhraseSource; automaton: PhraseAutomaton; postings: Map<number, number[]> };

/**
 * For an event, the rules that can possibly fire: each rule is filed under one group of its guard
 * (the cheapest to be met by chance), and becomes a candidate when any atom of that group is present.
 * Rules with no guard are always candidates.
 */
export class CandidateIndex {
  private readonly fields: Array<{ read: FactReader; postings: Map<Primitive, number[]> }> = [];
  private readonly sources: SourceIndex[] = [];
  private readonly always: number[] = [];
  private readonly seen: Uint32Array;
  /** Scratch for the phrases found in one text (reused: candidates() runs for every event). */
  private readonly phrases: number[] = [];
  private epoch = 0;

  /** `guards[i]` belongs to rule i; rules are numbered in evaluation order. */
  constructor(guards: ReadonlyArray<Guard | undefined>) {
    this.seen = new Uint32Array(guards.length);
    const chance = estimateChance(guards);
    const fieldsByKey = new Map<string, { read: FactReader; postings: Map<Primitive, number[]> }>();
    const sourcesByKey = new Map<string, Array<{ tokens: readonly string[]; rule: number }>>();
    const sourceOf = new Map<string, PhraseSource>();
    guards.forEach((guard, rule) => {
      if (guard === undefined) return;
      if (guard.length === 0) {
        this.always.push(rule);
        return;
      }
      const group = pickGroup(guard, chance);
      for (const atom of group) {
        if (atom.kind === 'value') {
          let field = fieldsByKey.get(atom.field);
          if (field === undefined) {
            field = { read: atom.read, postings: new Map() };
            fieldsByKey.set(atom.field, field);
          }
          addPosting(field.postings, atom.value, rule);
        } else {
          let phrases = sourcesByKey.get(atom.source.key);
          if (phrases === undefined) {
            sourcesByKey.set(atom.source.key, (phrases = []));
            sourceOf.set(atom.source.key, atom.source);
          }
          phrases.push({ tokens: atom.tokens, rule });
        }
      }
    });
    this.fields.push(...fieldsByKey.values());
    for (const [key, phrases] of sourcesByKey) this.sources.push(indexSource(sourceOf.get(key) as PhraseSource, phrases));
  }

  /** Rule numbers that may fire for this event, ascending. */
  candidates(context: EventContext): number[] {
    const epoch = this.nextEpoch();
    const found = this.always.length === 0 ? [] : this.always.slice();
    for (const field of this.fields) {
      const value = readQuietly(field.read, context);
      if (value === undefined || (typeof value === 'object' && value !== null)) continue;
      const rules = field.postings.get(value as Primitive);
      if (rules !== undefined) this.take(rules, epoch, found);
    }
    const phrases = this.phrases;
    for (const entry of this.sources) {
      if (entry.kind === 'fold') {
        for (const folded of entry.fold.texts(context.facts)) {
          phrases.length = 0;
          entry.automaton.scan(folded, phrases);
          for (let i = 0; i < phrases.length; i++) this.take(entry.postings.get(phrases[i] as number) as number[], epoch, found);
        }
        continue;
      }
      for (const tokens of entry.source.sequences(context.facts, context.memo)) {
        phrases.length = 0;
        entry.automaton.scan(tokens, phrases, entry.source.symbol);
        for (let i = 0; i < phrases.length; i++) this.take(entry.postings.get(phrases[i] as number) as number[], epoch, found);
      }
    }
    if (found.length > this.always.length) found.sort((a, b) => a - b);
    return found;
  }

  private take(rules: readonly number[], epoch: number, found: number[]): void {
    const seen = this.seen;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i] as number;
      if (seen[rule] !== epoch) {
        seen[rule] = epoch;
        found.push(rule);
      }
    }
  }

  private nextEpoch(): number {
    this.epoch = (this.epoch + 1) >>> 0;
    if (this.epoch === 0) {
      this.seen.fill(0);
      this.epoch = 1;
    }
    return this.epoch;
  }
}

/** The index only narrows; a fact it cannot read (strict undefined facts) just finds nothing here. */
function readQuietly(read: FactReader, context: EventContext): unknown {
  try {
    return read(context.facts);
  } catch {
    return undefined;
  }
}

function indexSource(source: PhraseSource, phrases: ReadonlyArray<{ tokens: readonly string[]; rule: number }>): SourceIndex {
  const fold = source.fold;
  // A phrase whose fold is empty (nothing but what the fold drops) cannot be looked for that way.
  if (fold !== undefined && phrases.every(({ tokens }) => fold.phrase(tokens) !== '')) {
    const automaton = new NeedleAutomaton();
    const postings = new Map<number, number[]>();
    for (const { tokens, rule } of phrases) addPosting(postings, automaton.add(fold.phrase(tokens)), rule);
    automaton.build();
    return { kind: 'fold', fold, automaton, postings };
  }
  const automaton = new PhraseAutomaton();
  const postings = new Map<number, number[]>();
  for (const { tokens, rule } of phrases) addPosting(postings, automaton.add(tokens), rule);
  automaton.build();
  return { kind: 'tokens', source, automaton, postings };
}

function addPosting<K>(postings: Map<K, number[]>, key: K, rule: number): void {
  const list = postings.get(key);
  if (list === undefined) postings.set(key, [rule]);
  else if (list[list.length - 1] !== rule) list.push(rule);
}

/**
 * How likely an atom is to be present by chance: a value among the D distinct values rules test on
 * its field is taken as 1/D (platform with 5 values: 0.2; channel ids: small); a phrase as 1/50.
 */
function estimateChance(guards: ReadonlyArray<Guard | undefined>): (atom: Atom) => number {
  const distinct = new Map<string, Set<Primitive>>();
  for (const guard of guards) {
    for (const group of guard ?? []) {
      for (const atom of group) {
        if (atom.kind !== 'value') continue;
        let values = distinct.get(atom.field);
        if (values === undefined) distinct.set(atom.field, (values = new Set()));
        values.add(atom.value);
      }
    }
  }
  return (atom) => (atom.kind === 'phrase' ? 0.02 : 1 / (distinct.get(atom.field)?.size ?? 1));
}

function pickGroup(guard: Guard, chance: (atom: Atom) => number): Group {
  let best: Group = guard[0] as Group;
  let bestCost = Infinity;
  for (const group of guard) {
    let cost = 0;
    for (const atom of group) cost += chance(atom);
    if (cost < bestCost) {
      best = group;
      bestCost = cost;
    }
  }
  return best;
}

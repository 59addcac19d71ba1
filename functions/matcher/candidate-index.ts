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

/** An indexed field: its reader, an id per value rules test it against (from 1), rules filed by value id. */
interface IndexedField {
  read: FactReader;
  ids: Map<Primitive, number>;
  postings: Array<number[] | undefined>;
}

/** The event's value of a field is none of the values rules test (or not a primitive). */
const OTHER = 0;
/** The field could not be read (strict undefined facts): filters let the rule through, evaluation decides. */
const UNREADABLE = -1;

/**
 * For an event, the rules that can possibly fire. Each rule is filed under one group of its guard
 * (the cheapest to be met by chance) and becomes a candidate when any atom of that group is present;
 * its other groups made only of field values (platform, kind, channel...) are then checked on the
 * event's value ids, so a rule that fails an indexed equality is never evaluated. Rules with no
 * guard are always candidates. Candidates are marked in a two-level bitset over rule numbers (rules
 * are numbered in evaluation order) and read back in ascending order: no per-event sort.
 */
export class CandidateIndex {
  private readonly fields: IndexedField[] = [];
  private readonly sources: SourceIndex[] = [];
  private readonly always: number[] = [];
  /** Per rule, its filter groups (CSR): groups ruleGroups[r]..ruleGroups[r+1]; atoms groupAtoms[g]..groupAtoms[g+1]. */
  private readonly ruleGroups: Int32Array;
  private readonly groupAtoms: Int32Array;
  private readonly atomField: Int32Array;
  private readonly atomValue: Int32Array;
  /** Per event: each field's value id, valid when valueEpoch[field] === epoch (read at most once, only when needed). */
  private readonly values: Int32Array;
  private readonly valueEpoch: Uint32Array;
  private readonly marks: Uint32Array;
  private readonly summary: Uint32Array;
  /** Scratch reused by every call: the phrases found in one text, and the candidates returned. */
  private readonly phrases: number[] = [];
  private readonly found: number[] = [];
  private epoch = 0;
  private context: EventContext | undefined;

  /** `guards[i]` belongs to rule i; rules are numbered in evaluation order. */
  constructor(guards: ReadonlyArray<Guard | undefined>) {
    this.marks = new Uint32Array(Math.ceil(guards.length / 32));
    this.summary = new Uint32Array(Math.ceil(this.marks.length / 32));
    const chance = estimateChance(guards);
    const fieldsByKey = new Map<string, number>();
    const fieldOf = (atom: Extract<Atom, { kind: 'value' }>): number => {
      let field = fieldsByKey.get(atom.field);
      if (field === undefined) {
        field = this.fields.length;
        fieldsByKey.set(atom.field, field);
        this.fields.push({ read: atom.read, ids: new Map(), postings: [] });
      }
      return field;
    };
    const valueIdOf = (field: number, value: Primitive): number => {
      const ids = (this.fields[field] as IndexedField).ids;
      let id = ids.get(value);
      if (id === undefined) ids.set(value, (id = ids.size + 1));
      return id;
    };
    const sourcesByKey = new Map<string, Array<{ tokens: readonly string[]; rule: number }>>();
    const sourceOf = new Map<string, PhraseSource>();
    const ruleGroups = [0];
    const groupAtoms = [0];
    const atomField: number[] = [];
    const atomValue: number[] = [];
    guards.forEach((guard, rule) => {
      if (guard === undefined || guard.length === 0) {
        if (guard !== undefined) this.always.push(rule);
        ruleGroups.push(groupAtoms.length - 1);
        return;
      }
      const group = pickGroup(guard, chance);
      for (const atom of group) {
        if (atom.kind === 'value') {
          const field = fieldOf(atom);
          const id = valueIdOf(field, atom.value);
          const postings = (this.fields[field] as IndexedField).postings;
          const list = (postings[id] ??= []);
          if (list[list.length - 1] !== rule) list.push(rule);
        } else {
          let phrases = sourcesByKey.get(atom.source.key);
          if (phrases === undefined) {
            sourcesByKey.set(atom.source.key, (phrases = []));
            sourceOf.set(atom.source.key, atom.source);
          }
          phrases.push({ tokens: atom.tokens, rule });
        }
      }
      for (const filter of guard) {
        if (filter === group || filter.some((atom) => atom.kind !== 'value')) continue;
        for (const atom of filter as ReadonlyArray<Extract<Atom, { kind: 'value' }>>) {
          const field = fieldOf(atom);
          atomField.push(field);
          atomValue.push(valueIdOf(field, atom.value));
        }
        groupAtoms.push(atomField.length);
      }
      ruleGroups.push(groupAtoms.length - 1);
    });
    this.ruleGroups = Int32Array.from(ruleGroups);
    this.groupAtoms = Int32Array.from(groupAtoms);
    this.atomField = Int32Array.from(atomField);
    this.atomValue = Int32Array.from(atomValue);
    this.values = new Int32Array(this.fields.length);
    this.valueEpoch = new Uint32Array(this.fields.length);
    for (const [key, phrases] of sourcesByKey) this.sources.push(indexSource(sourceOf.get(key) as PhraseSource, phrases));
  }

  /**
   * Rule numbers that may fire for this event, ascending. The array is reused by the next call: a
   * caller that keeps it across another call copies it.
   */
  candidates(context: EventContext): number[] {
    this.nextEpoch();
    this.context = context;
    for (const rule of this.always) this.mark(rule);
    for (let field = 0; field < this.fields.length; field++) {
      const postings = (this.fields[field] as IndexedField).postings;
      if (postings.length === 0) continue;
      const id = this.valueId(field);
      if (id > 0) {
        const rules = postings[id];
        if (rules !== undefined) this.take(rules);
      }
    }
    const phrases = this.phrases;
    for (const entry of this.sources) {
      if (entry.kind === 'fold') {
        for (const folded of entry.fold.texts(context.facts, context.memo)) {
          phrases.length = 0;
          entry.automaton.scan(folded, phrases);
          for (let i = 0; i < phrases.length; i++) this.take(entry.postings.get(phrases[i] as number) as number[]);
        }
        continue;
      }
      for (const tokens of entry.source.sequences(context.facts, context.memo)) {
        phrases.length = 0;
        entry.automaton.scan(tokens, phrases, entry.source.symbol);
        for (let i = 0; i < phrases.length; i++) this.take(entry.postings.get(phrases[i] as number) as number[]);
      }
    }
    this.context = undefined;
    return this.collect();
  }

  /** Marks each rule whose filter groups the event meets. */
  private take(rules: readonly number[]): void {
    const { ruleGroups } = this;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i] as number;
      if (ruleGroups[rule] === ruleGroups[rule + 1] || this.passes(rule)) this.mark(rule);
    }
  }

  private passes(rule: number): boolean {
    const { ruleGroups, groupAtoms, atomField, atomValue } = this;
    for (let group = ruleGroups[rule] as number, end = ruleGroups[rule + 1] as number; group < end; group++) {
      let met = false;
      for (let atom = groupAtoms[group] as number, last = groupAtoms[group + 1] as number; atom < last && !met; atom++) {
        const id = this.valueId(atomField[atom] as number);
        met = id === UNREADABLE || id === atomValue[atom];
      }
      if (!met) return false;
    }
    return true;
  }

  private valueId(field: number): number {
    if (this.valueEpoch[field] === this.epoch) return this.values[field] as number;
    const entry = this.fields[field] as IndexedField;
    let id: number;
    try {
      const value = entry.read((this.context as EventContext).facts);
      id = typeof value === 'object' && value !== null ? OTHER : (entry.ids.get(value as Primitive) ?? OTHER);
    } catch {
      id = UNREADABLE;
    }
    this.values[field] = id;
    this.valueEpoch[field] = this.epoch;
    return id;
  }

  private mark(rule: number): void {
    const word = rule >>> 5;
    this.marks[word] = (this.marks[word] as number) | (1 << (rule & 31));
    this.summary[word >>> 5] = (this.summary[word >>> 5] as number) | (1 << (word & 31));
  }

  /** The marked rules in ascending order, clearing the marks. */
  private collect(): number[] {
    const { marks, summary, found } = this;
    found.length = 0;
    for (let top = 0; top < summary.length; top++) {
      let words = summary[top] as number;
      while (words !== 0) {
        const low = words & -words;
        const word = (top << 5) | (31 - Math.clz32(low));
        words ^= low;
        let bits = marks[word] as number;
        marks[word] = 0;
        while (bits !== 0) {
          const bit = bits & -bits;
          found.push((word << 5) | (31 - Math.clz32(bit)));
          bits ^= bit;
        }
      }
      summary[top] = 0;
    }
    return found;
  }

  private nextEpoch(): void {
    this.epoch = (this.epoch + 1) >>> 0;
    if (this.epoch === 0) {
      this.valueEpoch.fill(0);
      this.epoch = 1;
    }
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

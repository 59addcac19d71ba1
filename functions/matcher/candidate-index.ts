import { createHash } from 'node:crypto';
import type { EventContext } from './condition-compiler.js';
import type { FactReader } from './fact-reader.js';
import type { Atom, Group, Guard, PhraseSource, Primitive } from './guard.js';
import { NeedleAutomaton, type NeedleAutomatonSnapshot } from './needle-automaton.js';
import { PhraseAutomaton } from './phrase-automaton.js';
import { PhraseHits } from './phrase-hits.js';
import { int32FromText, int32ToText } from './typed-array-text.js';

/**
 * The phrases of one text source. With a fold (text-fold.ts), a cheap sound superset of where
 * phrases occur, rules are found in the post's fold, and the rules module's text analysis runs only
 * when a candidate's cheaper conditions hold (its own evaluation asks for it): most posts are never
 * analysed. Without a fold, phrases are found in the post's tokens.
 */
type SourceIndex =
  | {
      kind: 'fold';
      source: PhraseSource;
      fold: NonNullable<PhraseSource['fold']>;
      automaton: NeedleAutomaton;
      postings: Map<number, number[]>;
      /** The same postings flat: needle n's rules are postingRules[postingStart[n]..postingStart[n+1]) (no map or list to reach). */
      postingStart: Int32Array;
      postingRules: Int32Array;
      /** Where each scan's finds are kept for the source's conditions, when the source takes them (bind). */
      hits: PhraseHits | undefined;
    }
  | { kind: 'tokens'; source: PhraseSource; automaton: PhraseAutomaton; postings: Map<number, number[]>; phrases: readonly FiledPhrase[] };

interface FiledPhrase {
  tokens: readonly string[];
  rule: number;
}

/** An indexed field: its reader, an id per value rules test it against (from 1), rules filed by value id. */
interface IndexedField {
  key: string;
  read: FactReader;
  ids: Map<Primitive, number>;
  postings: Array<number[] | undefined>;
}

/** The event's value of a field is none of the values rules test (or not a primitive). */
const OTHER = 0;
/** The field could not be read (strict undefined facts): filters let the rule through, evaluation decides. */
const UNREADABLE = -1;

/** The version of the saved form below; a saved index of another version (or other rules) is not used. */
export const CANDIDATE_INDEX_FORMAT = 'foghorn-candidate-index/4';

/**
 * A built index as JSON, saved with a rule set compiled at deploy time so a cold start restores it instead of
 * building it (choosing each rule's group, building the automata). `signature` is a hash of the guards it was
 * built from: restored only for guards that give the same one, else built again.
 */
export interface CandidateIndexSnapshot {
  format: typeof CANDIDATE_INDEX_FORMAT;
  signature: string;
  rules: number;
  always: number[];
  fields: Array<{ key: string; values: Primitive[]; postings: Array<number[] | null> }>;
  ruleGroups: string;
  groupAtoms: string;
  atomField: string;
  atomValue: string;
  sources: Array<
    | { key: string; kind: 'fold'; automaton: NeedleAutomatonSnapshot; postings: Array<[number, number[]]> }
    | { key: string; kind: 'tokens'; phrases: Array<{ tokens: string[]; rule: number }> }
  >;
}

/**
 * For an event, the rules that can possibly fire. Each rule is filed under one group of its guard
 * (the cheapest to be met by chance) and becomes a candidate when any atom of that group is present;
 * its other groups made only of field values (platform, kind, channel...) are then checked on the
 * event's value ids, so a rule that fails an indexed equality is never evaluated. Rules with no
 * guard are always candidates. Candidates are marked in a two-level bitset over rule numbers (rules
 * are numbered in evaluation order) and read back in ascending order: no per-event sort.
 */
export class CandidateIndex {
  private fields: IndexedField[] = [];
  private sources: SourceIndex[] = [];
  private always: number[] = [];
  /** Per rule, its filter groups (CSR): groups ruleGroups[r]..ruleGroups[r+1]; atoms groupAtoms[g]..groupAtoms[g+1]. */
  private ruleGroups = NO_INTS;
  private groupAtoms = NO_INTS;
  private atomField = NO_INTS;
  private atomValue = NO_INTS;
  /** Per event: each field's value id, valid when valueEpoch[field] === epoch (read at most once, only when needed). */
  private readonly values: Int32Array;
  private readonly valueEpoch: Uint32Array;
  private readonly marks: Uint32Array;
  private readonly summary: Uint32Array;
  /** Scratch reused by every call: the phrases found in one text, and the candidates returned. */
  private readonly phrases: number[] = [];
  private readonly ends: number[] = [];
  private readonly found: number[] = [];
  private epoch = 0;
  private context: EventContext | undefined;
  /**
   * False when the last candidates() could not read a field it checked: only then may a candidate's indexed
   * equality not hold (the index lets such a rule through, and its evaluation decides).
   */
  allFieldsRead = true;
  private readonly guards: ReadonlyArray<Guard | undefined>;
  /** True when the index came from a saved snapshot rather than being built. */
  readonly restored: boolean;

  /**
   * `guards[i]` belongs to rule i; rules are numbered in evaluation order. `saved`: a snapshot() of an index
   * built from the same guards, restored instead of building (anything else is ignored, and the index built).
   */
  constructor(guards: ReadonlyArray<Guard | undefined>, saved?: unknown) {
    this.guards = guards;
    this.marks = new Uint32Array(Math.ceil(guards.length / 32));
    this.summary = new Uint32Array(Math.ceil(this.marks.length / 32));
    this.restored = saved !== undefined && this.restore(guards, saved);
    if (!this.restored) this.build(guards);
    for (const entry of this.sources) if (entry.kind === 'fold' && entry.hits !== undefined) entry.fold.bind?.(entry.hits);
    this.values = new Int32Array(this.fields.length);
    this.valueEpoch = new Uint32Array(this.fields.length);
  }

  private build(guards: ReadonlyArray<Guard | undefined>): void {
    const chance = estimateChance(guards);
    const fieldsByKey = new Map<string, number>();
    const fieldOf = (atom: Extract<Atom, { kind: 'value' }>): number => {
      let field = fieldsByKey.get(atom.field);
      if (field === undefined) {
        field = this.fields.length;
        fieldsByKey.set(atom.field, field);
        this.fields.push({ key: atom.field, read: atom.read, ids: new Map(), postings: [] });
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
    for (const [key, phrases] of sourcesByKey) this.sources.push(indexSource(sourceOf.get(key) as PhraseSource, phrases));
  }

  /** The index as JSON, to be given to the constructor with the same guards (CandidateIndexSnapshot). */
  snapshot(): CandidateIndexSnapshot {
    return {
      format: CANDIDATE_INDEX_FORMAT,
      signature: guardsSignature(this.guards),
      rules: this.guards.length,
      always: [...this.always],
      fields: this.fields.map((field) => ({
        key: field.key,
        values: [...field.ids.keys()],
        postings: Array.from(field.postings, (rules) => rules ?? null),
      })),
      ruleGroups: int32ToText(this.ruleGroups),
      groupAtoms: int32ToText(this.groupAtoms),
      atomField: int32ToText(this.atomField),
      atomValue: int32ToText(this.atomValue),
      sources: this.sources.map((entry) =>
        entry.kind === 'fold'
          ? { key: entry.source.key, kind: 'fold' as const, automaton: entry.automaton.snapshot(), postings: [...entry.postings] }
          : {
              key: entry.source.key,
              kind: 'tokens' as const,
              phrases: entry.phrases.map(({ tokens, rule }) => ({ tokens: [...tokens], rule })),
            },
      ),
    };
  }

  /** Takes a snapshot of an index built from these very guards; false (nothing taken) for any other. */
  private restore(guards: ReadonlyArray<Guard | undefined>, saved: unknown): boolean {
    const snapshot = saved as Partial<CandidateIndexSnapshot> | null;
    if (snapshot === null || typeof snapshot !== 'object' || snapshot.format !== CANDIDATE_INDEX_FORMAT) return false;
    if (snapshot.rules !== guards.length || snapshot.signature !== guardsSignature(guards)) return false;
    const readers = new Map<string, FactReader>();
    const phraseSources = new Map<string, PhraseSource>();
    for (const guard of guards) {
      for (const group of guard ?? []) {
        for (const atom of group) {
          if (atom.kind === 'value') readers.set(atom.field, atom.read);
          else phraseSources.set(atom.source.key, atom.source);
        }
      }
    }
    try {
      const fields = (snapshot.fields ?? []).map(({ key, values, postings }): IndexedField => {
        const read = readers.get(key);
        if (read === undefined) throw new Error(`no guard reads the field ${key}`);
        return {
          key,
          read,
          ids: new Map(values.map((value, index) => [value, index + 1])),
          postings: postings.map((rules) => rules ?? undefined),
        };
      });
      const sources = (snapshot.sources ?? []).map((entry): SourceIndex => {
        const source = phraseSources.get(entry.key);
        if (source === undefined) throw new Error(`no guard has the phrase source ${entry.key}`);
        if (entry.kind === 'tokens') return tokenIndex(source, entry.phrases);
        if (source.fold === undefined) throw new Error(`the phrase source ${entry.key} has no fold`);
        return foldIndex(source, source.fold, NeedleAutomaton.fromSnapshot(entry.automaton), new Map(entry.postings));
      });
      const ruleGroups = int32FromText(snapshot.ruleGroups as string);
      if (ruleGroups.length !== guards.length + 1) throw new Error('ruleGroups does not cover every rule');
      this.groupAtoms = int32FromText(snapshot.groupAtoms as string);
      this.atomField = int32FromText(snapshot.atomField as string);
      this.atomValue = int32FromText(snapshot.atomValue as string);
      this.ruleGroups = ruleGroups;
      this.always = [...(snapshot.always ?? [])];
      this.fields = fields;
      this.sources = sources;
      return true;
    } catch {
      // Same signature but unreadable: built again, as for any other snapshot.
      this.fields = [];
      this.sources = [];
      this.always = [];
      return false;
    }
  }

  /**
   * Rule numbers that may fire for this event, ascending. The array is reused by the next call: a
   * caller that keeps it across another call copies it.
   */
  candidates(context: EventContext): number[] {
    this.nextEpoch();
    this.context = context;
    this.allFieldsRead = true;
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
    const { phrases, ends } = this;
    for (const entry of this.sources) {
      if (entry.kind === 'fold') {
        for (const folded of entry.fold.texts(context.facts, context.memo)) {
          phrases.length = 0;
          if (entry.hits === undefined) entry.automaton.scan(folded, phrases);
          else {
            ends.length = 0;
            entry.automaton.scan(folded, phrases, ends);
            entry.hits.record(folded, phrases, ends);
          }
          const { postingStart, postingRules } = entry;
          for (let i = 0; i < phrases.length; i++) {
            const needle = phrases[i] as number;
            this.takeRange(postingRules, postingStart[needle] as number, postingStart[needle + 1] as number);
          }
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

  /** take() of rules[from..to). */
  private takeRange(rules: Int32Array, from: number, to: number): void {
    const { ruleGroups } = this;
    for (let i = from; i < to; i++) {
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
      this.allFieldsRead = false;
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

const NO_INTS = new Int32Array(0);

function indexSource(source: PhraseSource, phrases: readonly FiledPhrase[]): SourceIndex {
  const fold = source.fold;
  // A phrase whose fold is empty (nothing but what the fold drops) cannot be looked for that way.
  if (fold !== undefined && phrases.every(({ tokens }) => fold.phrase(tokens) !== '')) {
    const automaton = new NeedleAutomaton();
    const postings = new Map<number, number[]>();
    for (const { tokens, rule } of phrases) addPosting(postings, automaton.add(fold.phrase(tokens)), rule);
    automaton.build();
    return foldIndex(source, fold, automaton, postings);
  }
  return tokenIndex(source, phrases);
}

function foldIndex(
  source: PhraseSource,
  fold: NonNullable<PhraseSource['fold']>,
  automaton: NeedleAutomaton,
  postings: Map<number, number[]>,
): SourceIndex {
  const hits = fold.bind === undefined ? undefined : new PhraseHits(automaton, automaton.nodes);
  const postingStart = new Int32Array(automaton.nodes + 1);
  for (const [needle, rules] of postings) postingStart[needle + 1] = rules.length;
  for (let needle = 0; needle < automaton.nodes; needle++)
    postingStart[needle + 1] = (postingStart[needle + 1] as number) + (postingStart[needle] as number);
  const postingRules = new Int32Array(postingStart[automaton.nodes] as number);
  for (const [needle, rules] of postings) postingRules.set(rules, postingStart[needle] as number);
  return { kind: 'fold', source, fold, automaton, postings, postingStart, postingRules, hits };
}

function tokenIndex(source: PhraseSource, phrases: readonly FiledPhrase[]): SourceIndex {
  const automaton = new PhraseAutomaton();
  const postings = new Map<number, number[]>();
  for (const { tokens, rule } of phrases) addPosting(postings, automaton.add(tokens), rule);
  automaton.build();
  return { kind: 'tokens', source, automaton, postings, phrases };
}

/**
 * A hash of what the index is built from: each rule's groups, atom by atom (fields, values, phrase sources and
 * tokens). Phrase folds are not in it: they are text-fold.ts's code, which the version stamp covers, and hashing
 * them would cost as much as building. One string, hashed once: a hash update per atom costs more than the atom.
 */
function guardsSignature(guards: ReadonlyArray<Guard | undefined>): string {
  const parts: string[] = [];
  for (const guard of guards) {
    if (guard === undefined) {
      parts.push('u;');
      continue;
    }
    for (const group of guard) {
      for (const atom of group) {
        if (atom.kind === 'value') parts.push('v', atom.field, '\u0000', typeof atom.value, String(atom.value), ',');
        else parts.push('p', atom.source.key, '\u0000', atom.tokens.join('\u0001'), ',');
      }
      parts.push('|');
    }
    parts.push(';');
  }
  return createHash('sha256').update(parts.join('\u0002')).digest('base64');
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

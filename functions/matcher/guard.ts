import type { FactReader } from './fact-reader.js';
import type { PhraseHits } from './phrase-hits.js';
import type { FoldedText } from './text-fold.js';

/**
 * What the index may assume about a condition: a Guard is a list of groups that must ALL be met for
 * the condition to hold; a group is met when ANY of its atoms is present in the event. An empty
 * guard promises nothing (the rule is always a candidate); a group with no atoms can never be met.
 */
export type Primitive = string | number | boolean | null;

/** `fact (+path) === value` through a hash lookup. */
export interface ValueAtom {
  kind: 'value';
  /** Identifies the fact and path, so all atoms on the same field share one lookup. */
  field: string;
  read: FactReader;
  value: Primitive;
}

/** A phrase that must occur in a text field, found by the multi-pattern matcher of its source. */
export interface PhraseAtom {
  kind: 'phrase';
  source: PhraseSource;
  /** The phrase as the source's matcher sees it (already normalised into tokens). */
  tokens: readonly string[];
}

/** A text field under one normalisation: its phrases share one pass over the event's text. */
export interface PhraseSource {
  /** Unique per field and normalisation variant. */
  readonly key: string;
  /** Maps a text token to the symbol phrases were added with (the automaton applies it while scanning). */
  readonly symbol: (token: string) => string;
  /**
   * The event's text as token sequences (one per string the operator would read). `memo` lives for
   * one event, so normalisation is done once per event.
   */
  sequences(facts: Readonly<Record<string, unknown>>, memo: Map<string, unknown>): ReadonlyArray<readonly string[]>;
  /**
   * Optional cheap stand-in for sequences(): a sound fold of each text the operator would read, and
   * of a phrase, such that a phrase can occur in a text's tokens only if its fold occurs in the text's
   * fold between a possible token start and end (text-fold.ts). Lets the index skip the expensive
   * text analysis for texts that cannot hold any phrase. `memo` lives for one event, so the
   * operator's own evaluation reuses the folds.
   */
  readonly fold?: {
    texts(facts: Readonly<Record<string, unknown>>, memo: Map<string, unknown>): readonly FoldedText[];
    phrase(tokens: readonly string[]): string;
    /**
     * Optional: told, once the index is built, where its scans of this source's folds record what they find
     * (phrase-hits.ts), so the operator's evaluation can answer a phrase from them.
     */
    bind?(hits: PhraseHits): void;
  };
}

export type Atom = ValueAtom | PhraseAtom;
export type Group = readonly Atom[];
export type Guard = readonly Group[];

export const NO_GUARD: Guard = [];

/** Guard of a conjunction: every child's groups are necessary. */
export function guardAll(children: readonly Guard[]): Guard {
  return children.flat();
}

/**
 * Guard of a disjunction: one group whose atoms are the union of one group from each child; if any
 * child promises nothing, neither does the disjunction.
 */
export function guardAny(children: readonly Guard[], cost: (group: Group) => number): Guard {
  if (children.length === 0) return NO_GUARD;
  const union: Atom[] = [];
  for (const child of children) {
    if (child.length === 0) return NO_GUARD;
    union.push(...cheapestGroup(child, cost));
  }
  return [union];
}

export function cheapestGroup(guard: Guard, cost: (group: Group) => number): Group {
  let best = guard[0] ?? [];
  let bestCost = cost(best);
  for (const group of guard.slice(1)) {
    const groupCost = cost(group);
    if (groupCost < bestCost) {
      best = group;
      bestCost = groupCost;
    }
  }
  return best;
}

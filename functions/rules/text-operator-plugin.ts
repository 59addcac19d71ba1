import {
  ABSENT,
  ANY_PREFIX,
  type Atom,
  type ConditionFn,
  type EngineView,
  type FactReader,
  type FoldedPhrase,
  type FoldedText,
  findPhrase,
  type Guard,
  isCustomOperator,
  MAYBE,
  NO_GUARD,
  NO_PREFIX,
  NO_STARTS,
  type OperatorCompiler,
  type OperatorPlugin,
  type PhraseHits,
  type PhraseSource,
  type PhraseVerdict,
  PRESENT,
  type PrefixRule,
  type TextFold,
  textFold,
} from '../matcher/index.js';
import {
  containsAllPhrases,
  containsAnyPhrase,
  matchesPattern,
  type NormaliseOptions,
  patternInput,
  procliticStems,
  textTokens,
} from '../text/index.js';
import { HitsBinding, MULTI_TOKEN, PREFIXES_UNIT } from './hits-binding.js';
import { TEXT_OPERATORS, type TextConditions } from './operators.js';

/**
 * containsAny / containsAll / matches, compiled from the same TextConditions that installed them on
 * the engine: the same compiled phrases and patterns, the same text functions, the same answers
 * (TextConditions.evaluate), with the event's text normalised and tokenized at most once per event.
 * Phrases also feed the index: a rule waits for one of its phrases to occur, looked for in the
 * post's fold (functions/matcher/text-fold.ts) or, with `fold: false`, in its tokens.
 */
export function textOperatorPlugin(text: TextConditions, options: { fold?: boolean } = {}): OperatorPlugin {
  const useFold = options.fold !== false;
  const sources = new Map<string, BoundSource>();
  const folds = new Map<string, FoldOf>();
  const compiler: OperatorCompiler = {
    compile(read, field, value) {
      const condition = text.describe(value);
      if (condition === undefined) return undefined;
      const { options, optionsKey } = condition;
      const tokensOf = memoised(`tokens\u0000${optionsKey}`, (input) => textTokens(input, options));
      let testString: (input: string, memo: Map<string, unknown>) => boolean;
      let guard: Guard = NO_GUARD;
      let runOf: ((test: (factValue: unknown, memo: Map<string, unknown>) => boolean) => ConditionFn) | undefined;
      if (condition.operator === 'matches') {
        const normalisedOf = memoised(`pattern\u0000${optionsKey}`, (input) => patternInput(input, options));
        const pattern = condition.pattern;
        testString = (input, memo) => matchesPattern(normalisedOf(input, memo), pattern);
      } else {
        const { phrases, clitics } = condition;
        const byTokens =
          condition.operator === 'containsAny'
            ? (input: string, memo: Map<string, unknown>) => containsAnyPhrase(tokensOf(input, memo), phrases, clitics)
            : (input: string, memo: Map<string, unknown>) => containsAllPhrases(tokensOf(input, memo), phrases, clitics);
        const foldOf = foldFor(folds, options, optionsKey);
        const source = phraseSource(sources, read, field, optionsKey, tokensOf, foldOf, useFold);
        const folded = useFold ? foldedPhrases(phrases, foldOf) : [];
        // Phrases of one spelling (nearly all) in one flat list: at thousands of rules each nested list is one more object to reach.
        const phrasesOfOne = useFold ? oneSpelling(condition.operator, folded, clitics) : undefined;
        const single = phrasesOfOne && { phrases: phrasesOfOne, offset: source.binding.register(phrasesOfOne) };
        testString = useFold ? foldFirst(condition.operator, folded, foldOf, byTokens, source.binding, single) : byTokens;
        if (single !== undefined) {
          runOf = (test) => oneSpellingRun(read, test, single.phrases, single.offset, foldOf, byTokens, source.binding);
        }
        // A phrase is present when any of its spellings is (informal forms): one atom each, in the phrase's group.
        const atoms = (tokens: readonly string[]): Atom[] =>
          foldOf.fold.spellings(tokens).map((spelling) => ({ kind: 'phrase', source, tokens: spelling.map(symbol) }));
        guard =
          condition.operator === 'containsAny'
            ? [phrases.filter((phrase) => phrase.length > 0).flatMap(atoms)]
            : phrases.map((phrase) => (phrase.length > 0 ? atoms(phrase) : []));
      }
      const test = (factValue: unknown, memo: Map<string, unknown>): boolean => {
        if (Array.isArray(factValue)) return factValue.some((item) => test(item, memo));
        if (typeof factValue !== 'string' || factValue === '') return false;
        return testString(factValue, memo);
      };
      // A text fact is a string nearly always: tested here, without the call through `test` (one object less to reach).
      const run: ConditionFn =
        runOf?.(test) ??
        ((context) => {
          const value = read(context.facts);
          return typeof value === 'string' ? value !== '' && testString(value, context.memo) : test(value, context.memo);
        });
      return { test: run, guard };
    },
  };
  return {
    names: TEXT_OPERATORS,
    // The engine's text operators are TextConditions' own (install()); a condition value that
    // describe() does not know is left to the engine.
    registered: (engine: EngineView, name: string) => isCustomOperator(engine, name),
    compiler,
  };
}

/** Text token -> automaton symbol: a hashtag also stands for its word, so "#refund" is found as "refund". */
function symbol(token: string): string {
  let start = 0;
  while (start < token.length - 1 && token.charCodeAt(start) === 0x23) start++;
  return start === 0 ? token : token.slice(start);
}

type Memoised = (input: string, memo: Map<string, unknown>) => string[];

/** One normalisation variant's fold, and an event's fold of a text memoised under it. */
interface FoldOf {
  fold: TextFold;
  /** Words may carry Arabic or Hebrew prefixes under these options. */
  clitics: boolean;
  of: (input: string, memo: Map<string, unknown>) => FoldedText;
}

function foldFor(folds: Map<string, FoldOf>, options: NormaliseOptions, optionsKey: string): FoldOf {
  let entry = folds.get(optionsKey);
  if (entry === undefined) {
    const fold = textFold(options);
    folds.set(
      optionsKey,
      (entry = { fold, clitics: options.clitics !== false, of: memoised(`fold\u0000${optionsKey}`, (input) => fold.text(input)) }),
    );
  }
  return entry;
}

/**
 * containsAny / containsAll answered from the post's fold when it can: no occurrence of a phrase's
 * fold means the phrase is not in the tokens (the fold is sound); on an exact fold, a plain phrase's
 * occurrence means it is (FoldedText.exact). Only what the fold leaves open is tokenized.
 */
/** Each phrase under each of its spellings (informal forms): a phrase's verdict is the best of theirs. */
function foldedPhrases(phrases: readonly (readonly string[])[], foldOf: FoldOf): FoldedPhrase[][] {
  return phrases.map((tokens) => foldOf.fold.spellings(tokens).map((spelling) => foldOf.fold.foldedPhrase(spelling, spelling.map(symbol))));
}

/**
 * A containsAny whose phrases have one spelling each (nearly all), as one flat list; else undefined. Each is its
 * phrase's own spelling, so a word behind prefix letters is judged by the phrase's clitics (FoldedPhrase.prefixes).
 */
function oneSpelling(
  operator: 'containsAny' | 'containsAll',
  folded: readonly FoldedPhrase[][],
  clitics: readonly boolean[],
): FoldedPhrase[] | undefined {
  if (operator !== 'containsAny' || folded.length === 0 || !folded.every((spellings) => spellings.length === 1)) return undefined;
  return folded.map((spellings, i) => {
    const prefixes: PrefixRule = clitics[i] === true ? ANY_PREFIX : NO_PREFIX;
    return { ...(spellings[0] as FoldedPhrase), prefixes };
  });
}

/**
 * The verdict of a containsAny of one-spelling phrases on a fold: PRESENT at the first phrase present, else MAYBE when
 * one is left open. Per phrase, what the index's scan of this very fold found where it looked for the phrase (only
 * the needles are read, and the token starts of a phrase of several words); else a search of the fold.
 */
function oneSpellingVerdict(
  fold: FoldedText,
  single: readonly FoldedPhrase[],
  offset: number,
  count: number,
  binding: HitsBinding,
): PhraseVerdict {
  const { hits, needles } = binding;
  const scanned = hits !== undefined && hits.folded === fold;
  let verdict: PhraseVerdict = ABSENT;
  for (let i = 0; i < count; i++) {
    const needle = needles[offset + 2 * i] as number;
    let found: PhraseVerdict;
    if (scanned && needle >= 0) {
      const kind = needles[offset + 2 * i + 1] as number;
      const starts = (kind & MULTI_TOKEN) !== 0 ? ((single[i] as FoldedPhrase).starts as readonly number[]) : NO_STARTS;
      found = hits.verdict(needle, starts, ((kind / PREFIXES_UNIT) | 0) as PrefixRule);
    } else {
      found = findPhrase(fold, single[i] as FoldedPhrase);
    }
    if (found === PRESENT) return PRESENT;
    if (found === MAYBE) verdict = MAYBE;
  }
  return verdict;
}

/**
 * The whole condition for a containsAny of one-spelling phrases in one closure (the fact read, the fold's verdict,
 * the tokens for what it leaves open): at thousands of rules each closure a candidate reaches is a cache miss.
 */
function oneSpellingRun(
  read: FactReader,
  test: (factValue: unknown, memo: Map<string, unknown>) => boolean,
  single: readonly FoldedPhrase[],
  offset: number,
  foldOf: FoldOf,
  byTokens: (input: string, memo: Map<string, unknown>) => boolean,
  binding: HitsBinding,
): ConditionFn {
  const count = single.length;
  return (context) => {
    const input = read(context.facts);
    if (typeof input !== 'string') return test(input, context.memo);
    if (input === '') return false;
    const verdict = oneSpellingVerdict(foldOf.of(input, context.memo), single, offset, count, binding);
    return verdict === PRESENT || (verdict === MAYBE && byTokens(input, context.memo));
  };
}

function foldFirst(
  operator: 'containsAny' | 'containsAll',
  folded: readonly FoldedPhrase[][],
  foldOf: FoldOf,
  byTokens: (input: string, memo: Map<string, unknown>) => boolean,
  binding: HitsBinding,
  single: { phrases: readonly FoldedPhrase[]; offset: number } | undefined,
): (input: string, memo: Map<string, unknown>) => boolean {
  if (folded.length === 0) return byTokens;
  if (single !== undefined) {
    return (input, memo) => {
      const verdict = oneSpellingVerdict(foldOf.of(input, memo), single.phrases, single.offset, single.phrases.length, binding);
      return verdict === PRESENT || (verdict === MAYBE && byTokens(input, memo));
    };
  }
  if (operator === 'containsAny') {
    return (input, memo) => {
      const fold = foldOf.of(input, memo);
      let open = false;
      for (let i = 0; i < folded.length; i++) {
        const verdict = bestVerdict(fold, folded[i] as FoldedPhrase[]);
        if (verdict === PRESENT) return true;
        if (verdict === MAYBE) open = true;
      }
      return open && byTokens(input, memo);
    };
  }
  return (input, memo) => {
    const fold = foldOf.of(input, memo);
    let open = false;
    for (let i = 0; i < folded.length; i++) {
      const verdict = bestVerdict(fold, folded[i] as FoldedPhrase[]);
      if (verdict === ABSENT) return false;
      if (verdict === MAYBE) open = true;
    }
    return !open || byTokens(input, memo);
  };
}

function bestVerdict(fold: FoldedText, spellings: readonly FoldedPhrase[]): PhraseVerdict {
  let best: PhraseVerdict = ABSENT;
  for (let i = 0; i < spellings.length; i++) {
    const verdict = findPhrase(fold, spellings[i] as FoldedPhrase);
    if (verdict === PRESENT) return PRESENT;
    if (verdict === MAYBE) best = MAYBE;
  }
  return best;
}

/**
 * Per-event cache of a text function's result, one slot per function and normalisation variant: an
 * event's text field is one string, so one slot (checked by identity, then by value) is enough; a
 * list of texts just recomputes. No closure is made per call: this runs for every event.
 */
function memoised<T>(key: string, compute: (input: string) => T): (input: string, memo: Map<string, unknown>) => T {
  return (input, memo) => {
    const slot = memo.get(key) as { input: string; value: T } | undefined;
    if (slot !== undefined && slot.input === input) return slot.value;
    const value = compute(input);
    memo.set(key, { input, value });
    return value;
  };
}

/** A phrase source and its link to the index's scans. */
type BoundSource = PhraseSource & { readonly binding: HitsBinding };

function phraseSource(
  sources: Map<string, BoundSource>,
  read: FactReader,
  field: string,
  optionsKey: string,
  tokensOf: Memoised,
  foldOf: FoldOf,
  useFold: boolean,
): BoundSource {
  const key = `${field}\u0001${optionsKey}`;
  const existing = sources.get(key);
  if (existing !== undefined) return existing;
  const binding = new HitsBinding();
  const fold = foldOf.fold;
  const clitics = foldOf.clitics;
  const source: BoundSource = {
    binding,
    key,
    symbol,
    ...(useFold
      ? {
          fold: {
            texts(facts: Readonly<Record<string, unknown>>, memo: Map<string, unknown>) {
              let value: unknown;
              try {
                value = read(facts);
              } catch {
                return []; // An unreadable fact holds no phrase (the index only narrows; evaluation decides).
              }
              if (typeof value === 'string') return value === '' ? [] : [foldOf.of(value, memo)];
              const folded: FoldedText[] = [];
              const collect = (item: unknown): void => {
                if (Array.isArray(item)) item.forEach(collect);
                else if (typeof item === 'string' && item !== '') folded.push(foldOf.of(item, memo));
              };
              collect(value);
              return folded;
            },
            phrase: (tokens: readonly string[]) => fold.phrase(tokens.join(' ')),
            bind: (hits: PhraseHits) => binding.bind(hits),
          },
        }
      : {}),
    sequences(facts, memo) {
      let value: unknown;
      try {
        value = read(facts);
      } catch {
        return [];
      }
      const sequences: string[][] = [];
      const collect = (item: unknown): void => {
        if (Array.isArray(item)) item.forEach(collect);
        else if (typeof item === 'string' && item !== '') {
          const tokens = tokensOf(item, memo);
          sequences.push(tokens);
          // A phrase may start at a word behind a prefix: the text from there, that word read as each stem it holds.
          if (clitics) {
            tokens.forEach((token, at) => {
              for (const stem of procliticStems(token)) sequences.push([stem, ...tokens.slice(at + 1)]);
            });
          }
        }
      };
      collect(value);
      return sequences;
    },
  };
  sources.set(key, source);
  return source;
}

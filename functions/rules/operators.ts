import type { Engine } from 'json-rules-engine';
import {
  type CompiledPattern,
  compilePattern,
  containsAllPhrases,
  containsAnyPhrase,
  matchesPattern,
  matchOptionsKey,
  type NormaliseOptions,
  type PhraseTokens,
  patternInput,
  phraseTokens,
  textTokens,
} from '../text/index.js';

export const TEXT_OPERATORS = ['containsAny', 'containsAll', 'matches'] as const;
export type TextOperator = (typeof TEXT_OPERATORS)[number];

/** json-rules-engine's own operators; their meaning is unchanged. */
export const STANDARD_OPERATORS = [
  'equal',
  'notEqual',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
] as const;
export const OPERATOR_DECORATORS = ['not', 'someFact', 'everyFact', 'someValue', 'everyValue', 'swap'] as const;

export function isTextOperator(name: string): name is TextOperator {
  return (TEXT_OPERATORS as readonly string[]).includes(name);
}

export type CompiledTextCondition =
  | {
      operator: 'containsAny' | 'containsAll';
      phrases: PhraseTokens[];
      /** Per phrase: whether a post's word may carry Arabic or Hebrew prefixes (clitics). */
      clitics: boolean[];
      options: NormaliseOptions;
      optionsKey: string;
      source: unknown;
    }
  | { operator: 'matches'; pattern: CompiledPattern; options: NormaliseOptions; optionsKey: string; source: unknown };

/** Prefix of the key that stands in for a text condition's value inside json-rules-engine. */
const KEY_PREFIX = '\u0000foghorn-text#';
const ANALYSIS_CACHE_SIZE = 32;

/**
 * Text conditions are compiled once at load (phrases tokenized, patterns compiled) and the engine
 * sees only a key; the event's text is normalised once per event and normalisation variant.
 */
export class TextConditions {
  private readonly compiled: CompiledTextCondition[] = [];
  private readonly tokensCache = new Map<string, string[]>();
  private readonly normalisedCache = new Map<string, string>();
  /** Each phrase's tokens, by normalisation variant and phrase: saved with compiled rules, given back to skip tokenizing. */
  private readonly phraseTokenCache: Map<string, PhraseTokens>;

  constructor(tokenized: Readonly<Record<string, PhraseTokens>> = {}) {
    this.phraseTokenCache = new Map(Object.entries(tokenized));
  }

  /** What tokenizedPhrases() returned for another instance's phrases, for a constructor to take. */
  tokenizedPhrases(): Record<string, PhraseTokens> {
    return Object.fromEntries(this.phraseTokenCache);
  }

  /** Compiles a condition value; throws an Error whose message a rule author understands. */
  register(operator: TextOperator, value: unknown, options: NormaliseOptions): string {
    const optionsKey = matchOptionsKey(options);
    if (operator === 'matches') {
      if (typeof value !== 'string' || value === '') throw new Error('matches needs a regular expression (a non-empty string)');
      let pattern: CompiledPattern;
      try {
        pattern = compilePattern(value, options);
      } catch (error) {
        throw new Error(`bad regular expression '${value}': ${(error as Error).message} (RE2 syntax: no lookaround, no backreferences)`);
      }
      this.compiled.push({ operator, pattern, options, optionsKey, source: value });
    } else {
      const list = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(list) || list.length === 0 || !list.every((item) => typeof item === 'string')) {
        throw new Error(`${operator} needs a list of phrases, e.g. ["opening hours", "ساعت کاری"]`);
      }
      const phrases = (list as string[]).map((phrase) => {
        const key = `${optionsKey}\u0000${phrase}`;
        let tokens = this.phraseTokenCache.get(key);
        if (tokens === undefined) {
          tokens = phraseTokens(phrase, options);
          this.phraseTokenCache.set(key, tokens);
        }
        if (tokens.length === 0) throw new Error(`phrase '${phrase}' holds no word to match`);
        return tokens;
      });
      const clitics = (list as string[]).map((phrase) => options.clitics !== false && !(options.cliticsOff ?? []).includes(phrase));
      this.compiled.push({ operator, phrases, clitics, options, optionsKey, source: value });
    }
    return `${KEY_PREFIX}${this.compiled.length - 1}`;
  }

  /** The value the rule author wrote, for explanations. */
  sourceOf(value: unknown): unknown {
    const entry = this.lookup(value);
    return entry ? entry.source : value;
  }

  /** A text condition's compiled form, for the compiled matcher (text-operator-plugin.ts). */
  describe(value: unknown): Readonly<CompiledTextCondition> | undefined {
    return this.lookup(value);
  }

  private lookup(value: unknown): CompiledTextCondition | undefined {
    if (typeof value !== 'string' || !value.startsWith(KEY_PREFIX)) return undefined;
    return this.compiled[Number(value.slice(KEY_PREFIX.length))];
  }

  evaluate(factValue: unknown, value: unknown): boolean {
    const condition = this.lookup(value);
    if (!condition) return false;
    if (Array.isArray(factValue)) return factValue.some((item) => this.evaluate(item, value));
    if (typeof factValue !== 'string' || factValue === '') return false;
    if (condition.operator === 'matches') {
      return matchesPattern(
        this.cached(this.normalisedCache, condition.optionsKey, factValue, () => patternInput(factValue, condition.options)),
        condition.pattern,
      );
    }
    const tokens = this.cached(this.tokensCache, condition.optionsKey, factValue, () => textTokens(factValue, condition.options));
    return condition.operator === 'containsAny'
      ? containsAnyPhrase(tokens, condition.phrases, condition.clitics)
      : containsAllPhrases(tokens, condition.phrases, condition.clitics);
  }

  private cached<T>(cache: Map<string, T>, optionsKey: string, text: string, compute: () => T): T {
    const key = `${optionsKey}\u0000${text}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const value = compute();
    if (cache.size >= ANALYSIS_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, value);
    return value;
  }

  /** The engine's text operators, by name: what install() adds, and what the compiled matcher is told the engine has. */
  operators(): Record<TextOperator, (factValue: unknown, value: unknown) => boolean> {
    const evaluate = (factValue: unknown, value: unknown) => this.evaluate(factValue, value);
    return { containsAny: evaluate, containsAll: evaluate, matches: evaluate };
  }

  install(engine: Engine): void {
    for (const [name, operator] of Object.entries(this.operators())) engine.addOperator(name, operator);
  }
}

/** The compiled, indexed rule matcher: agrees with json-rules-engine, evaluates a fraction of it. */

export { CANDIDATE_INDEX_FORMAT, type CandidateIndexSnapshot } from './candidate-index.js';
// What an OperatorPlugin builds with: compiled conditions, their guards for the index, and text folds.
export type { ConditionFn, EventContext, OperatorCompiler } from './condition-compiler.js';
export type { EngineDescription } from './engine-description.js';
export { MatcherCompileError, MatcherFactError } from './errors.js';
export { type AsyncFacts, type ComputedFacts, type FactReader, type Facts, UndefinedFactError } from './fact-reader.js';
export { type Atom, type Guard, NO_GUARD, type PhraseSource } from './guard.js';
export { type EngineView, isCustomOperator } from './jre.js';
export type { PhraseHits } from './phrase-hits.js';
export { type MatcherOptions, type MatcherRule, type OperatorPlugin, type RuleMatch, RuleMatcher } from './rule-matcher.js';
export {
  ABSENT,
  AFTER_PREFIX,
  ANY_PREFIX,
  type FoldedPhrase,
  type FoldedText,
  findPhrase,
  MAYBE,
  NO_PREFIX,
  NO_STARTS,
  type PhraseVerdict,
  PREFIX_OPEN,
  PRESENT,
  type PrefixRule,
  type TextFold,
  textFold,
} from './text-fold.js';

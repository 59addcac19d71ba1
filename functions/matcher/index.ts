/** The compiled, indexed rule matcher (issue 6): agrees with json-rules-engine, evaluates a fraction of it. */
export { RuleMatcher, type MatcherOptions, type MatcherRule, type OperatorPlugin, type RuleMatch } from './rule-matcher.js';
export { textOperatorPlugin } from './text-operators.js';
export { type AsyncFacts, type ComputedFacts, type Facts, UndefinedFactError } from './fact-reader.js';
export { MatcherCompileError, MatcherFactError } from './errors.js';

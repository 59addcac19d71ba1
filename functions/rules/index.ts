/** The rule language: load, validate, evaluate, test and watch rule files. */
export type { ConditionExplanation, Decision, EvaluationContext, PlannedAction, RuleExplanation, RuleSet, RuleState } from './ruleset.js';
export { formatProblem, RuleConfigError, type RuleProblem, RuleValidationError } from './errors.js';
export { type FoghornConfig, findConfigPath, parseFoghornConfig, readFoghornConfig } from './config.js';
export {
  buildRuleSet, compileRuleDirectory, compileRuleObjects, compileSources, type CompiledRules, type LoadOptions, loadRuleSet, readRuleSources, readRuleSourcesSync, resolveConfig,
  type RuleSource,
} from './loader.js';
export { memoryRuleState } from './memory-state.js';
export { createRuleSet } from './evaluator.js';
export type { CompiledRule } from './compile.js';
export { DEFAULT_TEST_NOW, flattenAction, type RuleTestResult, runRuleTests } from './rule-tests.js';
export { detectLanguage } from './lang/detect.js';
export { type RuleSetWatcher, type WatchOptions, watchRuleSet } from './watch.js';
export { ruleFileJsonSchema } from './json-schema.js';

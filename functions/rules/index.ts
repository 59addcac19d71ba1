/** The rule language: load, validate, evaluate, test and watch rule files. */
export type {
  ConditionExplanation,
  Decision,
  EvaluationContext,
  PlannedAction,
  RuleExplanation,
  RuleSet,
  RuleState,
} from '../core/rule-set.js';
export type { CompiledRule } from './compile.js';
export { CONFIG_FILE_NAME, type FoghornConfig, findConfigPath, parseFoghornConfig, readFoghornConfig } from './config.js';
export { createRuleSet } from './create-rule-set.js';
export { formatProblem, RuleConfigError, type RuleProblem, RuleValidationError } from './errors.js';
export type { OfflineRuleSet, OfflineTick, RuleLanguageExtension, RuleLanguageOptions } from './extension.js';
export { ruleFileJsonSchema } from './json-schema.js';
export { detectLanguage } from './lang/detect.js';
export {
  buildRuleSet,
  type CompiledRules,
  compileRuleDirectory,
  compileRuleObjects,
  compileSources,
  type LoadOptions,
  loadRuleSet,
  type RuleSource,
  readRuleSources,
  readRuleSourcesSync,
  resolveConfig,
} from './loader.js';
export { memoryRuleState } from './memory-rule-state.js';
export { offlineRuleSet } from './offline-rule-set.js';
export { DEFAULT_TEST_NOW, flattenAction, type RuleTestOptions, type RuleTestResult, runRuleTests } from './rule-tests.js';
export { type RuleDirectoryWatcher, type WatchOptions, watchRuleDirectory } from './watch.js';

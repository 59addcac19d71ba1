import { once } from '../core/provided.js';
import type { RuleSet } from '../core/rule-set.js';
import { type CrisisRuleOptions, crisisRuleOptions } from '../crisis/rule-options.js';
import { loadCompiledRules } from '../rules/compiled-rule-set.js';
import { createRuleSet } from '../rules/create-rule-set.js';
import type { CompiledRules } from '../rules/loader.js';
import { ruleLanguageBasics } from './rule-language-basics.js';

/** One compilation of the rules and everything the pipeline takes from it. */
export interface LoadedRules {
  /** The compiled rules and the team config they were compiled against. */
  compiled: CompiledRules;
  ruleSet: RuleSet;
  /** The crisis keys of each rule that has any (volume, after, crisisReply). */
  crisisOptions: ReadonlyMap<string, CrisisRuleOptions>;
}

/** The rule set in force. */
export interface RuleSource {
  current(): Promise<LoadedRules>;
}

export function loadedRules(compiled: CompiledRules): LoadedRules {
  return {
    compiled,
    ruleSet: createRuleSet(compiled.rules, compiled.config, compiled.text, { matcherIndex: compiled.matcherIndex }),
    crisisOptions: crisisRuleOptions(compiled.rules),
  };
}

/**
 * The rule set validated at synth (infra/rules-for-deployment.ts), one JSON file, loaded once per
 * container on first use: no YAML parsing and no schema checks at a cold start (the rule language's basics
 * suffice, so neither zod nor the platforms' connectors are loaded).
 */
export function deployedRuleSource(path: () => string): RuleSource {
  return { current: once(async () => loadedRules(await loadCompiledRules(path(), { extensions: ruleLanguageBasics }))) };
}

import { type CrisisRuleOptions, crisisRuleOptions } from '../crisis/rule-options.js';
import { loadCompiledRules } from '../rules/compiled-rule-set.js';
import { createRuleSet } from '../rules/evaluator.js';
import type { RuleSet } from '../rules/ruleset.js';

/**
 * The evaluate function's rule set and its crisis options (volume, after, crisisReply) from one
 * compilation of the rule set validated at synth (infra/rules-for-deployment.ts): no YAML parsing
 * and no schema checks at a cold start. This path imports neither the YAML parser nor the loader.
 */
export async function loadDeployedRules(compiledPath: string): Promise<{ ruleSet: RuleSet; crisisOptions: Map<string, CrisisRuleOptions> }> {
  const compiled = await loadCompiledRules(compiledPath);
  return { ruleSet: createRuleSet(compiled.rules, compiled.config, compiled.text), crisisOptions: crisisRuleOptions(compiled.rules) };
}

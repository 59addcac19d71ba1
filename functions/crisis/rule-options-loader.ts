import { compileRuleDirectory, createRuleSet, type RuleSet, RuleValidationError } from '../rules/index.js';
import { type CrisisRuleOptions, crisisRuleOptions } from './rule-options.js';

/** The crisis options (volume, after, crisisReply) of the rules in a folder, by rule id. */
export async function loadCrisisRuleOptions(rulesDir: string): Promise<Map<string, CrisisRuleOptions>> {
  const compiled = await compileRuleDirectory(rulesDir);
  return crisisRuleOptions(compiled.rules);
}

/**
 * The rule set and its crisis options from one compilation of the folder (a Lambda cold start reads
 * and compiles the rules once); throws RuleValidationError like loadRuleSet.
 */
export async function loadRuleSetWithCrisisOptions(rulesDir: string): Promise<{ ruleSet: RuleSet; crisisOptions: Map<string, CrisisRuleOptions> }> {
  const compiled = await compileRuleDirectory(rulesDir);
  if (compiled.problems.length > 0) throw new RuleValidationError(compiled.problems);
  return { ruleSet: createRuleSet(compiled.rules, compiled.config, compiled.text), crisisOptions: crisisRuleOptions(compiled.rules) };
}

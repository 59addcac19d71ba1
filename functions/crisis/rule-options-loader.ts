import { compileRuleDirectory } from '../rules/index.js';
import { type CrisisRuleOptions, crisisRuleOptions } from './rule-options.js';

/** The crisis options (volume, after, crisisReply) of the rules in a folder, by rule id. */
export async function loadCrisisRuleOptions(rulesDir: string): Promise<Map<string, CrisisRuleOptions>> {
  const compiled = await compileRuleDirectory(rulesDir);
  return crisisRuleOptions(compiled.rules);
}

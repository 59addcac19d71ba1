import { deployedRuleSource, type LoadedRules } from '../functions/app/rule-source.js';

/**
 * What the evaluate Lambda loads at a cold start (its handler module and everything it imports),
 * plus the rule loading it does once per container (the rule set compiled at synth), so a child
 * process can time both.
 */
export { handler } from '../functions/entries/lambda/evaluate.js';

export function loadDeployedRules(path: string): Promise<LoadedRules> {
  return deployedRuleSource(() => path).current();
}

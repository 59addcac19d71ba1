import { deployedRuleSource, type LoadedRules } from '../functions/app/rule-source.js';

/**
 * What the evaluate Lambda loads at a cold start (its handler module and everything it imports),
 * plus the rule loading it does once per container (the rule set compiled at synth), so a child
 * process can time both.
 */
export { handler } from '../functions/entries/lambda/evaluate.js';
/** What the first post its letters and CLD3 leave undecided triggers: the word lists read from beside the bundle. */
export { loadLexicon } from '../functions/rules/lang/lexicon.js';

export function loadDeployedRules(path: string): Promise<LoadedRules> {
  return deployedRuleSource(() => path).current();
}

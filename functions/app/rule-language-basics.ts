import { CRISIS_RULE_KEY_NAMES } from '../crisis/rule-options.js';
import { platformTextLimit } from '../platforms/limits.js';
import type { RuleLanguageBasics } from '../rules/extension.js';

/**
 * What the evaluate Lambda needs of rule-language.ts's extensions to load the rule set validated at synth: their
 * names, rule keys and the platforms' text limits, without their schemas, config checks and connectors (zod and
 * every platform's normaliser). test/app/rule-language-basics.test.ts keeps the two lists the same.
 */
export const ruleLanguageBasics: readonly RuleLanguageBasics[] = [
  { name: 'crisis', ruleKeyNames: CRISIS_RULE_KEY_NAMES },
  { name: 'platforms', ruleKeyNames: [], textLimits: platformTextLimit },
  { name: 'console', ruleKeyNames: [] },
  { name: 'analytics', ruleKeyNames: [] },
  { name: 'listening', ruleKeyNames: [] },
  { name: 'posts', ruleKeyNames: [] },
  { name: 'assignment', ruleKeyNames: [] },
];

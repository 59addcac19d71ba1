import { crisisRuleLanguage } from '../crisis/rule-language.js';
import type { RuleLanguageExtension } from '../rules/extension.js';

/** The rule language Foghorn runs, in one list so validate, test, schema, deploy and both runtimes accept the same rule files. */
export const ruleLanguage: readonly RuleLanguageExtension[] = [crisisRuleLanguage];

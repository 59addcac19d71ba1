import { analyticsRuleLanguage } from '../analytics/rule-language.js';
import { consoleRuleLanguage } from '../auth/rule-language.js';
import { parseOutboundSection } from '../core/outbound/outbound-policy.js';
import { crisisRuleLanguage } from '../crisis/rule-language.js';
import { connectorFor } from '../platforms/index.js';
import { platformTextLimit } from '../platforms/limits.js';
import { postsRuleLanguage } from '../posts/rule-language.js';
import type { RuleLanguageExtension } from '../rules/extension.js';

/**
 * The platforms: static texts are checked against their length limits, a rule's `overflow` applies them, and the
 * team config's `outbound:` section (what to do when a call's outcome is unknown) is checked with the rest.
 */
const platforms: RuleLanguageExtension = {
  name: 'platforms',
  ruleKeys: {},
  textLimits: platformTextLimit,
  configSections: { outbound: (value) => void parseOutboundSection(value, connectorFor) },
};

/** The rule language Foghorn runs, in one list so validate, test, schema, deploy and both runtimes accept the same rule files. */
export const ruleLanguage: readonly RuleLanguageExtension[] = [
  crisisRuleLanguage,
  platforms,
  consoleRuleLanguage,
  analyticsRuleLanguage,
  postsRuleLanguage,
];

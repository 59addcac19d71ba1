import { z } from 'zod';
import { analyticsRuleLanguage } from '../analytics/rule-language.js';
import { assignmentRuleLanguage } from '../assignment/rule-language.js';
import { consoleRuleLanguage } from '../auth/rule-language.js';
import { ON_AMBIGUOUS, parseOutboundSection } from '../core/outbound/outbound-policy.js';
import { crisisRuleLanguage } from '../crisis/rule-language.js';
import { listeningRuleLanguage } from '../listening/rule-language.js';
import { platformOutcomes, platformsWithOutcomes, platformTextLimit } from '../platforms/limits.js';
import { postsRuleLanguage } from '../posts/rule-language.js';
import type { RuleLanguageExtension } from '../rules/extension.js';

/**
 * The platforms: static texts are checked against their length limits, a rule's `overflow` applies them, and the
 * team config's `outbound:` section (what to do when a call's outcome is unknown) is checked with the rest. Both
 * from the platforms' tables (limits.ts), not their connectors: a bundle with the rule language carries no normaliser.
 */
const platforms: RuleLanguageExtension = {
  name: 'platforms',
  ruleKeys: {},
  textLimits: platformTextLimit,
  configSections: { outbound: (value) => void parseOutboundSection(value, platformOutcomes) },
  configSchemas: {
    // For editors; parseOutboundSection also refuses what a platform cannot do (retry without deduplication).
    outbound: z
      .partialRecord(
        z.enum(platformsWithOutcomes() as [string, ...string[]]),
        z
          .object({
            onAmbiguous: z
              .enum(ON_AMBIGUOUS as [string, ...string[]])
              .optional()
              .describe('When a call may or may not have reached the platform: retry, reconcile (ask it), or hold for a person'),
          })
          .strict(),
      )
      .describe("Per platform: what to do when an outbound call's outcome is unknown (docs/delivery.md)"),
  },
};

/** The rule language Foghorn runs, in one list so validate, test, schema, deploy and both runtimes accept the same rule files. */
export const ruleLanguage: readonly RuleLanguageExtension[] = [
  crisisRuleLanguage,
  platforms,
  consoleRuleLanguage,
  analyticsRuleLanguage,
  listeningRuleLanguage,
  postsRuleLanguage,
  assignmentRuleLanguage,
];

import { parseTargets, targetsSectionSchema } from '../escalation/target-config.js';
import type { RuleLanguageExtension } from '../rules/extension.js';
import { crisisSectionSchema, parseCrisisSection } from './config.js';
import { offlineCrisis } from './offline.js';
import { crisisRuleKeys } from './rule-keys.js';

/**
 * What crisis mode adds to the rule language: the rule keys volume (spikes), after (SLA timers) and
 * crisisReply; the `crisis:` and `targets:` sections of foghorn.config.yaml (the escalation targets
 * a spike or breach pages); and spikes, timers and crisis mode in memory for rule tests and
 * `foghorn evaluate`, with time taken from the events.
 */
export const crisisRuleLanguage: RuleLanguageExtension = {
  name: 'crisis',
  ruleKeys: crisisRuleKeys,
  configSections: {
    targets: (value, source) => {
      parseTargets(value as Record<string, unknown>, source);
    },
    crisis: (value, source) => {
      parseCrisisSection(value, source);
    },
  },
  configSchemas: { targets: targetsSectionSchema, crisis: crisisSectionSchema },
  offline(base, rules) {
    const crisis = offlineCrisis(base, rules);
    return {
      ruleSet: crisis.ruleSet,
      async advance(now) {
        const tick = await crisis.advance(now);
        return { events: tick.breaches, decisions: tick.resolved };
      },
    };
  },
};

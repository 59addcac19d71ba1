import type { RuleLanguageExtension } from '../rules/extension.js';
import { checkAssignActions } from './assign-rule-check.js';
import { checkAssignmentSections, peopleSectionSchema, teamsSectionSchema } from './config.js';

/**
 * What assignment adds to the rule language: the `people:` and `teams:` sections of foghorn.config.yaml (checked
 * together, since a team names people and a person a target), and the check of each `assign` action's names.
 */
export const assignmentRuleLanguage: RuleLanguageExtension = {
  name: 'assignment',
  ruleKeys: {},
  configSections: { teams: (_value, source, config) => checkAssignmentSections(source, config) },
  configSchemas: { people: peopleSectionSchema, teams: teamsSectionSchema },
  checkRule: checkAssignActions,
};

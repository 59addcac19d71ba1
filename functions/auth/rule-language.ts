import type { RuleLanguageExtension } from '../rules/extension.js';
import { parseConsoleSection } from './console-config.js';

/** The console's section of foghorn.config.yaml (`console.users`), checked wherever the rest of the team config is. */
export const consoleRuleLanguage: RuleLanguageExtension = {
  name: 'console',
  ruleKeys: {},
  configSections: {
    console: (value, source) => {
      parseConsoleSection(value, source);
    },
  },
};

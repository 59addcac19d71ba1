import { lineLocator } from '../analytics/rule-language.js';
import type { RuleLanguageExtension } from '../rules/extension.js';
import { ListenConfigError, listenProblemText, parseListenSection } from './config.js';

/**
 * The `listen:` section of foghorn.config.yaml (the listening sources), checked wherever the rest of the team config
 * is (`rules validate`, deploy, both runtimes); a problem names the file, its line and the field.
 */
export const listeningRuleLanguage: RuleLanguageExtension = {
  name: 'listening',
  ruleKeys: {},
  configSections: {
    listen: (value, source) => {
      try {
        parseListenSection(value, source);
      } catch (error) {
        if (!(error instanceof ListenConfigError)) throw error;
        throw new ListenConfigError(listenProblemText(source, error.problems, lineLocator(source)), error.problems);
      }
    },
  },
};

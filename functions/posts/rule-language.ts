import type { RuleLanguageExtension } from '../rules/extension.js';
import { checkPostChannels } from './post-channel.js';

/** What scheduled posts add to the rule language: the check of `channels:` (where they post), with its file and line. */
export const postsRuleLanguage: RuleLanguageExtension = {
  name: 'posts',
  ruleKeys: {},
  configSections: { channels: (value, source) => checkPostChannels(value, source) },
};

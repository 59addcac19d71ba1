import { lineLocator } from '../analytics/rule-language.js';
import type { LocatedProblem } from '../rules/compile.js';
import type { FoghornConfig } from '../rules/config.js';
import type { RuleLanguageExtension } from '../rules/extension.js';
import { pinnedValues } from '../rules/pinned-facts.js';
import type { RuleSpec } from '../rules/schema.js';
import { ListenConfigError, listenProblemText, parseListenSection } from './config.js';

/** The platform of each source type's events; `feed` items are read, never answered. */
export const LISTEN_PLATFORMS: Readonly<Record<string, { platform: string; replies: boolean }>> = {
  feed: { platform: 'feed', replies: false },
  'bluesky-search': { platform: 'bluesky', replies: true },
  'x-search': { platform: 'x', replies: true },
  'reddit-search': { platform: 'reddit', replies: true },
  mastodon: { platform: 'mastodon', replies: true },
  'youtube-comments': { platform: 'youtube', replies: true },
};

const UNANSWERABLE = new Set(Object.values(LISTEN_PLATFORMS).flatMap(({ platform, replies }) => (replies ? [] : [platform])));

/**
 * The `listen:` section of foghorn.config.yaml (the listening sources), checked wherever the rest of the team config
 * is (`rules validate`, deploy, both runtimes); a problem names the file, its line and the field. A rule that replies
 * to events only feeds produce is refused at validation: a feed item has no one to answer.
 */
export const listeningRuleLanguage: RuleLanguageExtension = {
  name: 'listening',
  ruleKeys: {},
  configSections: {
    listen: (value, source, config) => {
      try {
        parseListenSection(value, source, Object.keys(config.targets));
      } catch (error) {
        if (!(error instanceof ListenConfigError)) throw error;
        throw new ListenConfigError(listenProblemText(source, error.problems, lineLocator(source)), error.problems);
      }
    },
  },
  checkRule: unanswerableReplies,
};

/** `reply` in a rule whose conditions pin it to feed items (`platform: feed`, or `meta.source` naming feed sources). */
function unanswerableReplies(rule: RuleSpec, config: FoghornConfig): LocatedProblem[] {
  const replies = rule.then.flatMap((action, index) => ('reply' in action ? [index] : []));
  if (replies.length === 0) return [];
  let targets = pinnedValues(rule.when, 'platform');
  if (targets === undefined) {
    const sources = pinnedValues(rule.when, 'meta.source');
    if (sources === undefined) return [];
    const types = new Map(safeSources(config).map((source) => [source.id, source.type]));
    targets = new Set([...sources].flatMap((id) => LISTEN_PLATFORMS[types.get(id) ?? '']?.platform ?? []));
  }
  const refused = [...targets].filter((platform) => UNANSWERABLE.has(platform));
  if (refused.length === 0) return [];
  return replies.map((index) => ({
    path: ['then', index, 'reply'],
    message: `${refused.join(', ')} items cannot be answered (a feed has no one to reply to): escalate, tag or route them instead`,
  }));
}

function safeSources(config: FoghornConfig): ReturnType<typeof parseListenSection> {
  try {
    return parseListenSection((config as Record<string, unknown>).listen);
  } catch {
    // The section's own check reports it; a rule is judged against the sources that parse.
    return [];
  }
}

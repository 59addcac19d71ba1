import { blueskySearchSource } from './bluesky-search/index.js';
import { LISTEN_TYPES, type ListenSourceConfig } from './config.js';
import { feedSource } from './feed/index.js';
import { mastodonSource } from './mastodon/index.js';
import { redditSearchSource } from './reddit-search/index.js';
import type { ListeningSource, ListeningSourceFactory } from './source.js';
import { xSearchSource } from './x-search/index.js';
import { youtubeCommentsSource } from './youtube-comments/index.js';

/**
 * Every listening source type, by the `type:` of a `listen:` entry. Adding one: a folder functions/listening/<type>/
 * (client.ts, normalise.ts, index.ts), its keys in LISTEN_TYPES (config.ts), and one line here.
 */
export const listeningTypes: Readonly<Record<string, ListeningSourceFactory>> = {
  feed: feedSource,
  'bluesky-search': (config) => blueskySearchSource(config),
  'x-search': xSearchSource,
  'reddit-search': (config) => redditSearchSource(config),
  mastodon: mastodonSource,
  'youtube-comments': youtubeCommentsSource,
};

/** The sources of a parsed `listen:` section, in its order. */
export function listeningSourcesOf(configs: readonly ListenSourceConfig[]): ListeningSource[] {
  return configs.map((config) => {
    const factory = Object.hasOwn(listeningTypes, config.type) ? listeningTypes[config.type] : undefined;
    if (!factory) throw new Error(`listening: no source type '${config.type}' (known: ${Object.keys(LISTEN_TYPES).join(', ')})`);
    return factory(config);
  });
}

export { parseListenSection } from './config.js';
export { type ListenReport, type ListenStatus, listenOnce, listenStatuses } from './listen.js';
export type { ListeningSource } from './source.js';

import { connectorFor } from '../platforms/index.js';
import { ScheduledPosts } from '../posts/scheduled-posts.js';
import type { Adapters } from './adapters.js';

const built = new WeakMap<Adapters, ScheduledPosts>();

/**
 * Scheduled posts over the adapters, built once per adapter set: the post store, the crisis switch and audit log of
 * the crisis stores, the team config's `channels:`, and the actions queue their commands go on. Undefined for an
 * adapter set without a post store.
 */
export function scheduledPostsOf(
  adapters: Pick<Adapters, 'posts' | 'crisisStores' | 'clock' | 'teamConfig' | 'actionsQueue'>,
): ScheduledPosts | undefined {
  const store = adapters.posts;
  if (!store) return undefined;
  const key = adapters as Adapters;
  let posts = built.get(key);
  if (!posts) {
    posts = new ScheduledPosts({
      posts: store,
      crisis: adapters.crisisStores.crisis,
      audit: adapters.crisisStores.audit,
      clock: adapters.clock,
      channels: () => adapters.teamConfig.current().channels,
      platforms: connectorFor,
      dispatch: (commands) => adapters.actionsQueue.send(commands),
    });
    built.set(key, posts);
  }
  return posts;
}

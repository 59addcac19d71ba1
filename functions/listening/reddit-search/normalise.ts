import { z } from 'zod';
import { NormaliseError } from '../../core/errors.js';
import { type CanonicalEvent, eventId } from '../../core/event.js';
import type { ListenSourceConfig } from '../config.js';

/** A post (t3) of a search Listing (https://github.com/reddit-archive/reddit/wiki/JSON#link-implements-votable--created). */
export const redditPostSchema = z.object({
  kind: z.literal('t3'),
  data: z.looseObject({
    id: z.string().min(1),
    name: z.string().startsWith('t3_'),
    title: z.string().default(''),
    selftext: z.string().default(''),
    author: z.string().default('[deleted]'),
    author_fullname: z.string().optional(),
    subreddit: z.string(),
    permalink: z.string(),
    url: z.string().optional(),
    created_utc: z.number(),
  }),
});

/**
 * A post the search found, as a `mention` with the id the Reddit poller gives things (`reddit:<fullname>`);
 * `meta.fullname` is what the Reddit connector comments on.
 */
export function redditPostToEvent(value: unknown, config: ListenSourceConfig, username: string | undefined, now: Date): CanonicalEvent {
  const parsed = redditPostSchema.safeParse(value);
  if (!parsed.success) throw new NormaliseError('an item of the reddit search is not a post (t3)', parsed.error.issues);
  const post = parsed.data.data;
  const at = now.toISOString();
  const created = post.created_utc * 1000;
  const self = [...config.self, ...(username ? [username] : [])].map((name) => name.toLowerCase().replace(/^u\//, ''));
  const text = [post.title, post.selftext].filter((part) => part !== '').join('\n\n');
  return {
    id: eventId('reddit', post.name),
    platform: 'reddit',
    kind: 'mention',
    text,
    author: {
      id: post.author_fullname ?? post.author,
      handle: post.author,
      ...(self.includes(post.author.toLowerCase()) ? { isSelf: true } : {}),
    },
    channel: { id: `r/${post.subreddit}`, name: `r/${post.subreddit}` },
    thread: { id: post.name },
    createdAt: Number.isFinite(created) && created <= now.getTime() ? new Date(created).toISOString() : at,
    receivedAt: at,
    url: `https://www.reddit.com${post.permalink}`,
    meta: { source: config.id, fullname: post.name, subreddit: post.subreddit, ...(post.url ? { link: post.url } : {}) },
  };
}

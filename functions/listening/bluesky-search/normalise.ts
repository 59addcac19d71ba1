import { z } from 'zod';
import { NormaliseError } from '../../core/errors.js';
import type { CanonicalEvent } from '../../core/event.js';
import type { ListenSourceConfig } from '../config.js';

/** The parts of `app.bsky.feed.defs#postView` a mention needs (https://docs.bsky.app/docs/api/app-bsky-feed-search-posts). */
const strongRefSchema = z.object({ uri: z.string().min(1), cid: z.string().min(1) });
export const postViewSchema = z.object({
  uri: z.string().startsWith('at://'),
  cid: z.string().min(1),
  author: z.object({ did: z.string().min(1), handle: z.string().min(1), displayName: z.string().optional() }),
  record: z.looseObject({
    text: z.string().default(''),
    createdAt: z.string().optional(),
    langs: z.array(z.string()).optional(),
    reply: z.object({ root: strongRefSchema, parent: strongRefSchema }).optional(),
  }),
  indexedAt: z.string(),
});
export type PostView = z.infer<typeof postViewSchema>;

/** The post's web link: bsky.app/profile/<handle>/post/<record key>. */
export function postLink(post: Pick<PostView, 'uri' | 'author'>): string {
  const rkey = post.uri.split('/').pop() ?? '';
  return `https://bsky.app/profile/${encodeURIComponent(post.author.handle)}/post/${encodeURIComponent(rkey)}`;
}

/**
 * A post the search found, as a `mention`: its thread is the root post (a reply's `reply.root`, else itself), and
 * `meta` keeps the strong references a reply in that thread needs (root and parent). Written by one of the
 * brand's accounts (`self`, or the signed-in handle): `author.isSelf`.
 */
export function postToEvent(value: unknown, config: ListenSourceConfig, selfIds: readonly string[], now: Date): CanonicalEvent {
  const parsed = postViewSchema.safeParse(value);
  if (!parsed.success) throw new NormaliseError('a bluesky post the search returned is not a postView', parsed.error.issues);
  const post = parsed.data;
  const at = now.toISOString();
  const created = Date.parse(post.record.createdAt ?? post.indexedAt);
  const createdAt = Number.isNaN(created) || created > now.getTime() ? at : new Date(created).toISOString();
  const root = post.record.reply?.root ?? { uri: post.uri, cid: post.cid };
  const self = [...config.self, ...selfIds].map((name) => name.toLowerCase().replace(/^@/, ''));
  const isSelf = self.includes(post.author.did.toLowerCase()) || self.includes(post.author.handle.toLowerCase());
  return {
    id: `bluesky:${post.uri}`,
    platform: 'bluesky',
    kind: 'mention',
    text: post.record.text,
    author: {
      id: post.author.did,
      handle: post.author.handle,
      ...(post.author.displayName ? { name: post.author.displayName } : {}),
      ...(isSelf ? { isSelf: true } : {}),
    },
    channel: { id: post.author.did, name: post.author.handle },
    thread: { id: root.uri, ...(post.record.reply ? { replyToId: post.record.reply.parent.uri } : {}) },
    createdAt,
    receivedAt: at,
    url: postLink(post),
    meta: {
      source: config.id,
      uri: post.uri,
      cid: post.cid,
      root,
      indexedAt: post.indexedAt,
      ...(post.record.langs ? { langs: post.record.langs } : {}),
    },
  };
}

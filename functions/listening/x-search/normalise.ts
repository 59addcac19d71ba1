import { z } from 'zod';
import { NormaliseError } from '../../core/errors.js';
import { type CanonicalEvent, eventId } from '../../core/event.js';
import type { ListenSourceConfig } from '../config.js';

/** A post of API v2 with the fields the search asks for (https://docs.x.com/x-api/fundamentals/data-dictionary#tweet). */
export const tweetSchema = z.object({
  id: z.string().regex(/^\d+$/),
  text: z.string(),
  author_id: z.string().optional(),
  created_at: z.string().optional(),
  conversation_id: z.string().optional(),
  lang: z.string().optional(),
  referenced_tweets: z.array(z.object({ type: z.string(), id: z.string() })).optional(),
});

export const userSchema = z.looseObject({
  id: z.string(),
  username: z.string().optional(),
  name: z.string().optional(),
  verified: z.boolean().optional(),
  public_metrics: z.object({ followers_count: z.number().int().nonnegative().optional() }).optional(),
});
export type XUser = z.infer<typeof userSchema>;

/**
 * A post the search found, as a `mention` with the same id a webhook delivery of it would have (`x:<id>`), so the
 * brand's own mentions heard both ways are one event. `meta.tweetId` is what the X connector replies to.
 */
export function tweetToEvent(
  value: unknown,
  users: ReadonlyMap<string, XUser>,
  config: ListenSourceConfig,
  selfId: string | undefined,
  now: Date,
): CanonicalEvent {
  const parsed = tweetSchema.safeParse(value);
  if (!parsed.success) throw new NormaliseError('a post the X search returned is not a post', parsed.error.issues);
  const tweet = parsed.data;
  const at = now.toISOString();
  const user = tweet.author_id ? users.get(tweet.author_id) : undefined;
  const created = Date.parse(tweet.created_at ?? '');
  const self = config.self.map((name) => name.toLowerCase().replace(/^@/, ''));
  const authorId = tweet.author_id ?? 'unknown';
  const isSelf =
    (selfId !== undefined && authorId === selfId) ||
    self.includes(authorId) ||
    (user?.username !== undefined && self.includes(user.username.toLowerCase()));
  const repliedTo = tweet.referenced_tweets?.find((reference) => reference.type === 'replied_to')?.id;
  const followers = user?.public_metrics?.followers_count;
  return {
    id: eventId('x', tweet.id),
    platform: 'x',
    kind: 'mention',
    text: tweet.text,
    author: {
      id: authorId,
      ...(user?.username ? { handle: user.username } : {}),
      ...(user?.name ? { name: user.name } : {}),
      ...(followers !== undefined ? { followers } : {}),
      ...(user?.verified !== undefined ? { verified: user.verified } : {}),
      ...(isSelf ? { isSelf: true } : {}),
    },
    channel: { id: selfId ?? `search:${config.id}` },
    thread: { ...(tweet.conversation_id ? { id: tweet.conversation_id } : {}), ...(repliedTo ? { replyToId: repliedTo } : {}) },
    createdAt: Number.isNaN(created) || created > now.getTime() ? at : new Date(created).toISOString(),
    receivedAt: at,
    url: `https://x.com/${user?.username ?? 'i/web'}/status/${tweet.id}`,
    meta: { source: config.id, tweetId: tweet.id, ...(tweet.conversation_id ? { conversationId: tweet.conversation_id } : {}) },
  };
}

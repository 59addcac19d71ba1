import { z } from 'zod';
import { NormaliseError } from '../../core/errors.js';
import type { CanonicalEvent } from '../../core/event.js';
import type { ListenSourceConfig } from '../config.js';

/** A commentThread resource with its top-level comment (https://developers.google.com/youtube/v3/docs/commentThreads#resource). */
export const commentThreadSchema = z.object({
  id: z.string().min(1),
  snippet: z.looseObject({
    channelId: z.string().optional(),
    videoId: z.string().optional(),
    canReply: z.boolean().optional(),
    topLevelComment: z.object({
      id: z.string().min(1),
      snippet: z.looseObject({
        authorDisplayName: z.string().default(''),
        authorChannelId: z.object({ value: z.string() }).optional(),
        authorChannelUrl: z.string().optional(),
        textOriginal: z.string().optional(),
        textDisplay: z.string().default(''),
        videoId: z.string().optional(),
        publishedAt: z.string(),
      }),
    }),
  }),
});
export type CommentThread = z.infer<typeof commentThreadSchema>;

/** A top-level comment the source found, as a `mention` under its video; `meta.commentId` is what a reply's parentId is. */
export function commentThreadToEvent(value: unknown, config: ListenSourceConfig, now: Date): CanonicalEvent {
  const parsed = commentThreadSchema.safeParse(value);
  if (!parsed.success) throw new NormaliseError('a youtube comment thread is not a commentThread', parsed.error.issues);
  const thread = parsed.data;
  const comment = thread.snippet.topLevelComment;
  const at = now.toISOString();
  const created = Date.parse(comment.snippet.publishedAt);
  const videoId = comment.snippet.videoId ?? thread.snippet.videoId;
  const authorId = comment.snippet.authorChannelId?.value ?? comment.snippet.authorDisplayName;
  const handle = comment.snippet.authorDisplayName.replace(/^@/, '');
  const self = config.self.map((name) => name.toLowerCase().replace(/^@/, ''));
  return {
    id: `youtube:${comment.id}`,
    platform: 'youtube',
    kind: 'mention',
    text: comment.snippet.textOriginal ?? comment.snippet.textDisplay,
    author: {
      id: authorId,
      ...(handle ? { handle } : {}),
      ...(self.includes(authorId.toLowerCase()) || (handle && self.includes(handle.toLowerCase())) ? { isSelf: true } : {}),
    },
    channel: { id: thread.snippet.channelId ?? videoId ?? 'youtube' },
    thread: { id: thread.id },
    createdAt: Number.isNaN(created) || created > now.getTime() ? at : new Date(created).toISOString(),
    receivedAt: at,
    ...(videoId ? { url: `https://www.youtube.com/watch?v=${encodeURIComponent(videoId)}&lc=${encodeURIComponent(comment.id)}` } : {}),
    meta: {
      source: config.id,
      commentId: thread.id,
      ...(videoId ? { videoId } : {}),
      ...(thread.snippet.canReply === false ? { canReply: false } : {}),
    },
  };
}

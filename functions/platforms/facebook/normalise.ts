import { z } from 'zod';
import type { ConnectorContext, Normalised } from '../../core/connector.js';
import type { CanonicalEvent } from '../../core/event.js';
import { eventId } from '../../core/event.js';
import type { InboundRequest } from '../../core/http.js';
import { isoFromUnix, parseMetaDelivery } from '../meta/delivery.js';
import { normaliseEntryMessaging } from '../meta/messaging.js';
import { META_APP_ID, META_PAGE_ID } from '../meta/settings.js';
import { parseWith } from '../shared/payload.js';

export const FACEBOOK = 'facebook';

const unixTime = z.union([z.number(), z.string()]);

/** `changes[].value` of the Page `feed` field (documented in the Page webhooks reference). */
const feedValueSchema = z.looseObject({
  item: z.string(),
  verb: z.string(),
  post_id: z.string().optional(),
  comment_id: z.string().optional(),
  parent_id: z.string().optional(),
  from: z.looseObject({ id: z.string().min(1), name: z.string().optional() }).optional(),
  message: z.string().optional(),
  created_time: unixTime.optional(),
  post: z.looseObject({ permalink_url: z.string().optional() }).optional(),
  link: z.string().optional(),
});

/** Page-feed items that are posts of some form; reactions, likes, edits and removals become no event. */
const POST_ITEMS = new Set(['status', 'post', 'photo', 'video', 'share']);

/**
 * A Page delivery: each new comment on the Page's posts (`feed` change, item `comment`, verb `add`), each new
 * post on the Page, and each Messenger message (`messaging`) becomes one event.
 */
export function normaliseFacebook(request: InboundRequest, context: ConnectorContext): Normalised {
  const delivery = parseMetaDelivery(request.rawBody, 'page');
  const configuredPageId = context.settings.get(META_PAGE_ID);
  const events: CanonicalEvent[] = [];
  delivery.entry.forEach((entry, entryIndex) => {
    const pageIds = new Set([entry.id, ...(configuredPageId ? [configuredPageId] : [])]);
    entry.changes?.forEach((change, changeIndex) => {
      if (change.field !== 'feed') return;
      const where = `entry.${entryIndex}.changes.${changeIndex}.value`;
      const value = parseWith(feedValueSchema, change.value, where);
      const createdAt =
        value.created_time !== undefined
          ? isoFromUnix(value.created_time, `${where}.created_time`)
          : entry.time !== undefined
            ? isoFromUnix(entry.time, `entry.${entryIndex}.time`)
            : request.receivedAt.toISOString();
      const event = feedEvent(value, entry.id, pageIds, createdAt, request.receivedAt);
      if (event) events.push(event);
    });
    events.push(
      ...normaliseEntryMessaging(entry, entryIndex, {
        platform: FACEBOOK,
        appId: context.settings.get(META_APP_ID),
        receivedAt: request.receivedAt,
      }),
    );
  });
  return { events };
}

function feedEvent(
  value: z.infer<typeof feedValueSchema>,
  pageId: string,
  pageIds: ReadonlySet<string>,
  createdAt: string,
  receivedAt: Date,
): CanonicalEvent | undefined {
  if (value.verb !== 'add') return undefined;
  const author = {
    id: value.from?.id ?? 'unknown',
    ...(value.from?.name ? { name: value.from.name } : {}),
    isSelf: value.from !== undefined && pageIds.has(value.from.id),
  };
  const common = {
    platform: FACEBOOK,
    text: value.message ?? '',
    author,
    channel: { id: pageId },
    createdAt,
    receivedAt: receivedAt.toISOString(),
  };
  if (value.item === 'comment' && value.comment_id) {
    // A top-level comment's parent is the post; a reply's parent is the comment it answers.
    const isReply = value.parent_id !== undefined && value.parent_id !== value.post_id;
    return {
      ...common,
      id: eventId(FACEBOOK, value.comment_id),
      kind: isReply ? 'reply' : 'comment',
      thread: { ...(value.post_id ? { id: value.post_id } : {}), ...(value.parent_id ? { replyToId: value.parent_id } : {}) },
      ...(value.post?.permalink_url ? { url: value.post.permalink_url } : {}),
      meta: {
        commentId: value.comment_id,
        ...(value.post_id ? { postId: value.post_id } : {}),
        ...(value.parent_id ? { parentId: value.parent_id } : {}),
        // Facebook threads are two levels deep: an answer to a reply goes under the top-level comment.
        replyTargetId: isReply && value.parent_id ? value.parent_id : value.comment_id,
      },
    };
  }
  if (POST_ITEMS.has(value.item) && value.post_id) {
    return {
      ...common,
      id: eventId(FACEBOOK, value.post_id),
      kind: 'post',
      thread: { id: value.post_id },
      ...(value.link ? { url: value.link } : {}),
      meta: { postId: value.post_id, item: value.item, replyTargetId: value.post_id },
    };
  }
  return undefined;
}

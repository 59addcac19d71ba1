import { z } from 'zod';
import type { ConnectorContext, Normalised } from '../../core/connector.js';
import type { CanonicalEvent } from '../../core/event.js';
import { eventId } from '../../core/event.js';
import type { InboundRequest } from '../../core/http.js';
import { isoFromUnix, parseMetaDelivery } from '../meta/delivery.js';
import { normaliseEntryMessaging } from '../meta/messaging.js';
import { META_APP_ID } from '../meta/settings.js';
import { parseWith } from '../shared/payload.js';

export const INSTAGRAM = 'instagram';
/** The connected Instagram professional account (also `entry.id` of every delivery). */
export const INSTAGRAM_ACCOUNT_ID = 'FOGHORN_INSTAGRAM_ACCOUNT_ID';

/** `changes[].value` of the `comments` and `live_comments` fields. */
const commentValueSchema = z.looseObject({
  id: z.string().min(1),
  text: z.string().optional(),
  parent_id: z.string().optional(),
  from: z.looseObject({ id: z.string().min(1), username: z.string().optional(), self_ig_scoped_id: z.string().optional() }).optional(),
  media: z.looseObject({ id: z.string(), media_product_type: z.string().optional() }).optional(),
});

/** `changes[].value` of the `mentions` field: the account was @mentioned in a caption or comment. */
const mentionValueSchema = z.looseObject({ media_id: z.string().min(1), comment_id: z.string().min(1).optional() });

/**
 * An Instagram delivery: each comment on the account's media (`comments`, `live_comments`), each @mention
 * (`mentions`) and each Direct message (`messaging`) becomes one event.
 */
export function normaliseInstagram(request: InboundRequest, context: ConnectorContext): Normalised {
  const delivery = parseMetaDelivery(request.rawBody, 'instagram');
  const configuredAccount = context.settings.get(INSTAGRAM_ACCOUNT_ID);
  const events: CanonicalEvent[] = [];
  delivery.entry.forEach((entry, entryIndex) => {
    const selfIds = new Set([entry.id, ...(configuredAccount ? [configuredAccount] : [])]);
    // Comment payloads carry no creation time; the entry's time is when Meta sent it, moments later.
    const createdAt = entry.time === undefined ? request.receivedAt.toISOString() : isoFromUnix(entry.time, `entry.${entryIndex}.time`);
    const common = { platform: INSTAGRAM, channel: { id: entry.id }, createdAt, receivedAt: request.receivedAt.toISOString() };
    entry.changes?.forEach((change, changeIndex) => {
      const where = `entry.${entryIndex}.changes.${changeIndex}.value`;
      if (change.field === 'comments' || change.field === 'live_comments') {
        const value = parseWith(commentValueSchema, change.value, where);
        const isReply = value.parent_id !== undefined;
        events.push({
          ...common,
          id: eventId(INSTAGRAM, value.id),
          kind: isReply ? 'reply' : 'comment',
          text: value.text ?? '',
          author: {
            id: value.from?.id ?? 'unknown',
            ...(value.from?.username ? { handle: value.from.username } : {}),
            isSelf: value.from !== undefined && selfIds.has(value.from.id),
          },
          thread: { ...(value.media ? { id: value.media.id } : {}), ...(value.parent_id ? { replyToId: value.parent_id } : {}) },
          meta: {
            commentId: value.id,
            field: change.field,
            ...(value.media ? { mediaId: value.media.id } : {}),
            ...(value.media?.media_product_type ? { mediaProductType: value.media.media_product_type } : {}),
            ...(value.parent_id ? { parentId: value.parent_id } : {}),
            // Instagram replies are one level deep: an answer to a reply goes under the top-level comment.
            replyTargetId: value.parent_id ?? value.id,
          },
        });
      } else if (change.field === 'mentions') {
        const value = parseWith(mentionValueSchema, change.value, where);
        const nativeId = value.comment_id ?? value.media_id;
        events.push({
          ...common,
          id: eventId(INSTAGRAM, `mention:${nativeId}`),
          kind: 'mention',
          // The webhook names only ids; the text is fetched from the Graph API when a rule needs it.
          text: '',
          author: { id: 'unknown' },
          thread: { id: value.media_id },
          meta: { mediaId: value.media_id, ...(value.comment_id ? { commentId: value.comment_id, replyTargetId: value.comment_id } : {}) },
        });
      }
    });
    events.push(
      ...normaliseEntryMessaging(entry, entryIndex, {
        platform: INSTAGRAM,
        appId: context.settings.get(META_APP_ID),
        receivedAt: request.receivedAt,
      }),
    );
  });
  return { events };
}

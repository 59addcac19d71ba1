import { z } from 'zod';
import type { CanonicalEvent } from '../../core/event.js';
import { eventId } from '../../core/event.js';
import { parseWith } from '../shared/payload.js';
import { isoFromUnix } from './delivery.js';
import { FOGHORN_METADATA_PREFIX } from './settings.js';

/**
 * One item of `entry[].messaging` (Messenger and Instagram Direct share the shape). Only a message needs its
 * sender and recipient: the other documented items lack fields (a `message_deliveries` item has no `timestamp`,
 * a checkbox-plugin `optin` no `sender`) and become no event.
 */
const messagingItemSchema = z.looseObject({ message: z.unknown().optional() });

const messageItemSchema = z.looseObject({
  // Page- and Instagram-scoped ids are never empty: an empty one would make an event with no author.
  sender: z.looseObject({ id: z.string().min(1) }),
  recipient: z.looseObject({ id: z.string().min(1) }),
  // Documented as Unix milliseconds; newer pages show it as a string.
  timestamp: z.union([z.number(), z.string()]).optional(),
  message: z.looseObject({
    mid: z.string().min(1),
    text: z.string().optional(),
    is_echo: z.boolean().optional(),
    is_deleted: z.boolean().optional(),
    app_id: z.union([z.number(), z.string()]).optional(),
    metadata: z.string().optional(),
    reply_to: z.looseObject({ mid: z.string().optional(), story: z.unknown().optional() }).optional(),
    quick_reply: z.looseObject({ payload: z.string() }).optional(),
    attachments: z.array(z.looseObject({ type: z.string() })).optional(),
  }),
});

export interface MessagingContext {
  platform: string;
  /** The Page or Instagram account the delivery is for (`entry.id`). */
  accountId: string;
  /** The Meta app id, when configured: an echo sent by this app was sent by Foghorn. */
  appId: string | undefined;
  receivedAt: Date;
  /** The entry's `time` and its path: when the item carries no timestamp of its own. */
  entryTime?: { value: number; path: string } | undefined;
  where: string;
}

/**
 * A message sent to (or, as an echo, by) the connected account becomes a `dm` event; reads, deliveries and
 * reactions carry no message and become nothing. The user's scoped id is kept as `meta.recipientId` for replies.
 */
export function normaliseMessagingItem(item: unknown, context: MessagingContext): CanonicalEvent | undefined {
  // Reads, deliveries, opt-ins, postbacks and unsent (deleted) messages are not something to answer.
  if (parseWith(messagingItemSchema, item, context.where).message === undefined) return undefined;
  const parsed = parseWith(messageItemSchema, item, context.where);
  const message = parsed.message;
  if (message.is_deleted === true) return undefined;
  const isEcho = message.is_echo === true || parsed.sender.id === context.accountId;
  const userId = isEcho ? parsed.recipient.id : parsed.sender.id;
  const sentByFoghorn =
    isEcho &&
    ((message.metadata?.startsWith(FOGHORN_METADATA_PREFIX) ?? false) ||
      (context.appId !== undefined && message.app_id !== undefined && String(message.app_id) === context.appId));
  return {
    id: eventId(context.platform, message.mid),
    platform: context.platform,
    kind: 'dm',
    text: message.text ?? '',
    author: { id: parsed.sender.id, isSelf: isEcho },
    channel: { id: context.accountId },
    thread: { id: userId, ...(message.reply_to?.mid ? { replyToId: message.reply_to.mid } : {}) },
    createdAt: createdAtOf(parsed.timestamp, context),
    receivedAt: context.receivedAt.toISOString(),
    ...(sentByFoghorn ? { sentByFoghorn: true } : {}),
    meta: {
      messageId: message.mid,
      recipientId: userId,
      ...(message.quick_reply ? { quickReplyPayload: message.quick_reply.payload } : {}),
      ...(message.attachments ? { attachmentTypes: message.attachments.map((attachment) => attachment.type) } : {}),
    },
  };
}

function createdAtOf(timestamp: number | string | undefined, context: MessagingContext): string {
  if (timestamp !== undefined) return isoFromUnix(timestamp, `${context.where}.timestamp`);
  if (context.entryTime !== undefined) return isoFromUnix(context.entryTime.value, context.entryTime.path);
  return context.receivedAt.toISOString();
}

/** Every message in one delivery entry's `messaging` list, as events (Facebook Page and Instagram alike). */
export function normaliseEntryMessaging(
  entry: { id: string; time?: number | undefined; messaging?: readonly unknown[] | undefined },
  entryIndex: number,
  context: Omit<MessagingContext, 'accountId' | 'where'>,
): CanonicalEvent[] {
  const events: CanonicalEvent[] = [];
  entry.messaging?.forEach((item, itemIndex) => {
    const where = `entry.${entryIndex}.messaging.${itemIndex}`;
    const entryTime = entry.time === undefined ? undefined : { value: entry.time, path: `entry.${entryIndex}.time` };
    const event = normaliseMessagingItem(item, { ...context, accountId: entry.id, entryTime, where });
    if (event) events.push(event);
  });
  return events;
}

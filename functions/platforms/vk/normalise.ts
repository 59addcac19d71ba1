import { z } from 'zod';
import type { Normalised } from '../../core/connector.js';
import { NormaliseError } from '../../core/errors.js';
import { type CanonicalEvent, eventId } from '../../core/event.js';
import type { HttpResponse, InboundRequest } from '../../core/http.js';
import { isoFromEpochMs } from '../shared/epoch.js';
import { lenient, lenientArray, lenientNumber, lenientString } from '../shared/lenient.js';
import { VK } from './settings.js';
import { parseVkBody, type VkNotification } from './verify.js';

/** VK stops sending to a server that answers anything but `ok` several times in a row. */
export const VK_OK: HttpResponse = { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' };
/** peer_ids from this value up are group chats; below, a private dialogue with one user. */
const CHAT_PEER_OFFSET = 2_000_000_000;

const vkMessageSchema = z.looseObject({
  id: lenientNumber,
  date: lenientNumber,
  peer_id: lenientNumber,
  from_id: lenientNumber,
  text: lenientString,
  conversation_message_id: lenientNumber,
  /** Set on the community's outgoing messages when a person (an admin) wrote them by hand. */
  admin_author_id: lenientNumber,
  reply_message: lenient(z.looseObject({ id: lenientNumber, conversation_message_id: lenientNumber, from_id: lenientNumber })),
  fwd_messages: lenientArray(z.looseObject({ text: lenientString })),
  attachments: lenientArray(
    z.looseObject({
      type: lenientString,
      photo: lenient(z.looseObject({ text: lenientString })),
      video: lenient(z.looseObject({ title: lenientString })),
      link: lenient(z.looseObject({ title: lenientString })),
    }),
  ),
});
type VkMessage = z.infer<typeof vkMessageSchema>;

const vkWallCommentSchema = z.looseObject({
  id: lenientNumber,
  from_id: lenientNumber,
  date: lenientNumber,
  text: lenientString,
  post_id: lenientNumber,
  post_owner_id: lenientNumber,
  owner_id: lenientNumber,
  reply_to_comment: lenientNumber,
  parents_stack: lenient(z.array(z.number())),
});

/**
 * `message_new` (and `message_reply`, the community's own outgoing messages) and `wall_reply_new` become
 * events; every other notification is acknowledged with `ok` and no event. Ids are VK's `event_id`
 * (the same on VK's redeliveries), or the group and object ids for API versions that do not send it.
 */
export function normaliseVk(request: InboundRequest, groupIdSetting: string | undefined): Normalised {
  const notification = parseVkBody(request);
  const groupId = numberOrUndefined(notification.group_id) ?? numberOrUndefined(groupIdSetting);
  switch (notification.type) {
    case 'message_new':
    case 'message_reply':
      return { events: [messageEvent(notification, request, groupId)], response: VK_OK };
    case 'wall_reply_new':
      return { events: [wallCommentEvent(notification, request, groupId)], response: VK_OK };
    default:
      return { events: [], response: VK_OK };
  }
}

function messageEvent(notification: VkNotification, request: InboundRequest, groupId: number | undefined): CanonicalEvent {
  const object = asObject(notification.object, 'object');
  // Since API 5.103 the message sits in object.message (beside client_info); before, it was the object itself.
  const message: VkMessage = vkMessageSchema.parse(object.message !== undefined ? asObject(object.message, 'object.message') : object);
  const peerId = requireNumber(message.peer_id, 'object.message.peer_id');
  const fromId = requireNumber(message.from_id, 'object.message.from_id');
  const date = requireNumber(message.date, 'object.message.date');
  const cmid = message.conversation_message_id;
  const outgoing = notification.type === 'message_reply';
  const nativeId = eventIdOf(notification) ?? `${groupId ?? 0}_${String(notification.type)}_${peerId}_${cmid ?? message.id ?? date}`;
  const replyTo = message.reply_message;

  return {
    id: eventId(VK, nativeId),
    platform: VK,
    kind: peerId >= CHAT_PEER_OFFSET ? 'message' : 'dm',
    text: [message.text ?? '', ...(message.fwd_messages ?? []).map((forwarded) => forwarded.text ?? ''), ...captions(message)]
      .filter(Boolean)
      .join('\n'),
    author: { id: String(fromId), isSelf: outgoing || (groupId !== undefined && fromId === -groupId) },
    channel: { id: String(peerId), ...(peerId < CHAT_PEER_OFFSET ? { direct: true } : {}) },
    thread: {
      id: String(peerId),
      ...(replyTo?.conversation_message_id !== undefined ? { replyToId: String(replyTo.conversation_message_id) } : {}),
    },
    createdAt: unixToIso(date, 'object.message.date'),
    receivedAt: request.receivedAt.toISOString(),
    // The community's own messages sent through the API (Foghorn's token) carry no admin_author_id.
    sentByFoghorn: outgoing && message.admin_author_id === undefined,
    meta: {
      type: notification.type,
      peerId,
      ...(message.id !== undefined ? { messageId: message.id } : {}),
      ...(cmid !== undefined ? { conversationMessageId: cmid } : {}),
      ...(groupId !== undefined ? { groupId } : {}),
    },
  };
}

function wallCommentEvent(notification: VkNotification, request: InboundRequest, groupId: number | undefined): CanonicalEvent {
  const comment = vkWallCommentSchema.parse(asObject(notification.object, 'object'));
  const commentId = requireNumber(comment.id, 'object.id');
  const fromId = requireNumber(comment.from_id, 'object.from_id');
  const postId = requireNumber(comment.post_id, 'object.post_id');
  const postOwnerId = requireNumber(comment.post_owner_id ?? comment.owner_id, 'object.post_owner_id');
  const nativeId = eventIdOf(notification) ?? `${groupId ?? 0}_wall_reply_new_${postOwnerId}_${commentId}`;
  const replyToComment = comment.reply_to_comment;

  return {
    id: eventId(VK, nativeId),
    platform: VK,
    kind: replyToComment ? 'reply' : 'comment',
    text: comment.text ?? '',
    author: { id: String(fromId), isSelf: groupId !== undefined && fromId === -groupId },
    channel: { id: String(postOwnerId) },
    thread: { id: `${postOwnerId}_${postId}`, ...(replyToComment ? { replyToId: String(replyToComment) } : {}) },
    createdAt: unixToIso(requireNumber(comment.date, 'object.date'), 'object.date'),
    receivedAt: request.receivedAt.toISOString(),
    url: `https://vk.com/wall${postOwnerId}_${postId}?reply=${commentId}`,
    sentByFoghorn: false,
    meta: {
      type: 'wall_reply_new',
      postOwnerId,
      postId,
      commentId,
      ...(comment.parents_stack?.length ? { parentsStack: comment.parents_stack } : {}),
      ...(groupId !== undefined ? { groupId } : {}),
    },
  };
}

function captions(message: VkMessage): string[] {
  return (message.attachments ?? []).map((attachment) => attachment.photo?.text ?? attachment.video?.title ?? attachment.link?.title ?? '');
}

function eventIdOf(notification: VkNotification): string | undefined {
  return typeof notification.event_id === 'string' && notification.event_id !== '' ? notification.event_id : undefined;
}

function asObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new NormaliseError(`\`${path}\` must be an object`, { path });
  return value as Record<string, unknown>;
}

function requireNumber(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new NormaliseError(`\`${path}\` must be a number`, { path, got: typeof value });
  return value;
}

function numberOrUndefined(value: unknown): number | undefined {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number !== 0 ? number : undefined;
}

function unixToIso(seconds: number, path: string): string {
  return isoFromEpochMs(seconds * 1000, path);
}

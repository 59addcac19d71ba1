import { z } from 'zod';
import type { ConnectorContext, Normalised } from '../../core/connector.js';
import type { CanonicalEvent, EventKind } from '../../core/event.js';
import { eventId } from '../../core/event.js';
import type { InboundRequest } from '../../core/http.js';
import { isoFromEpochMs } from '../shared/epoch.js';
import { parseJson, parseWith } from '../shared/payload.js';
import { TELEGRAM_BOT_TOKEN } from './client.js';

export const TELEGRAM = 'telegram';
/** The bot's user id; when unset it is read from the bot token (`<bot id>:<secret>`). */
export const TELEGRAM_BOT_ID = 'FOGHORN_TELEGRAM_BOT_ID';
/** The bot's @username (without @): a group message naming it is a `mention`. */
export const TELEGRAM_BOT_USERNAME = 'FOGHORN_TELEGRAM_BOT_USERNAME';

const userSchema = z.looseObject({
  id: z.number(),
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});
const chatSchema = z.looseObject({
  id: z.number(),
  type: z.string(),
  title: z.string().optional(),
  username: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
});
const repliedSchema = z.looseObject({ message_id: z.number(), from: userSchema.optional() });
const messageSchema = z.looseObject({
  message_id: z.number(),
  message_thread_id: z.number().optional(),
  from: userSchema.optional(),
  sender_chat: chatSchema.optional(),
  chat: chatSchema,
  date: z.number(),
  edit_date: z.number().optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  entities: z.array(z.looseObject({ type: z.string(), offset: z.number(), length: z.number() })).optional(),
  reply_to_message: repliedSchema.optional(),
  quote: z.looseObject({ text: z.string() }).optional(),
  author_signature: z.string().optional(),
});
const updateSchema = z.looseObject({
  update_id: z.number(),
  message: messageSchema.optional(),
  edited_message: messageSchema.optional(),
  channel_post: messageSchema.optional(),
  edited_channel_post: messageSchema.optional(),
});

type TelegramMessage = z.infer<typeof messageSchema>;

/** The fields of an Update that hold a message, in the order they are read. */
const MESSAGE_FIELDS = ['message', 'edited_message', 'channel_post', 'edited_channel_post'] as const;

/**
 * One Update per delivery: a `message`, `edited_message`, `channel_post` or `edited_channel_post` becomes one
 * event whose id is the update id; other updates (callbacks, polls, member changes) become nothing.
 */
export function normaliseTelegram(request: InboundRequest, context: ConnectorContext): Normalised {
  const update = parseWith(updateSchema, parseJson(request.rawBody), 'update');
  const field = MESSAGE_FIELDS.find((name) => update[name] !== undefined);
  const message = field === undefined ? undefined : update[field];
  if (!message) return { events: [] };
  const edited = update.edited_message !== undefined || update.edited_channel_post !== undefined;
  const botId = context.settings.get(TELEGRAM_BOT_ID) ?? context.settings.get(TELEGRAM_BOT_TOKEN)?.split(':')[0];
  const botUsername = context.settings.get(TELEGRAM_BOT_USERNAME)?.replace(/^@/, '');
  const { chat } = message;
  const isSelf = botId !== undefined && message.from !== undefined && String(message.from.id) === botId;
  const quoted = message.quote?.text;
  const text = message.text ?? message.caption ?? '';
  const event: CanonicalEvent = {
    id: eventId(TELEGRAM, update.update_id),
    platform: TELEGRAM,
    kind: messageKind(message, botId, botUsername),
    text: quoted === undefined ? text : `${text}\n\n${quoted}`,
    author: { ...authorOf(message), isSelf },
    channel: {
      id: String(chat.id),
      ...(chatName(chat) ? { name: chatName(chat) } : {}),
      ...(chat.type === 'private' ? { direct: true } : {}),
    },
    thread: {
      ...(message.message_thread_id !== undefined ? { id: String(message.message_thread_id) } : {}),
      ...(message.reply_to_message ? { replyToId: String(message.reply_to_message.message_id) } : {}),
    },
    createdAt: isoFromEpochMs(message.date * 1000, `update.${field}.date`),
    receivedAt: request.receivedAt.toISOString(),
    // Only the bot token can send as the bot, and only Foghorn holds it.
    ...(isSelf ? { sentByFoghorn: true } : {}),
    ...(chat.username ? { url: `https://t.me/${chat.username}/${message.message_id}` } : {}),
    meta: {
      updateId: update.update_id,
      messageId: message.message_id,
      chatId: chat.id,
      chatType: chat.type,
      ...(message.message_thread_id !== undefined ? { messageThreadId: message.message_thread_id } : {}),
      ...(edited ? { edited: true } : {}),
      ...(quoted !== undefined ? { quotedText: quoted } : {}),
      ...(message.from?.language_code ? { userLanguage: message.from.language_code } : {}),
    },
  };
  return { events: [event] };
}

function messageKind(message: TelegramMessage, botId: string | undefined, botUsername: string | undefined): EventKind {
  if (message.chat.type === 'channel') return 'post';
  if (message.chat.type === 'private') return 'dm';
  if (botId !== undefined && message.reply_to_message?.from && String(message.reply_to_message.from.id) === botId) return 'reply';
  if (botUsername !== undefined && mentions(message, botUsername)) return 'mention';
  return 'message';
}

/** A `mention` entity (`@name`) naming the bot, in the text or the caption. */
function mentions(message: TelegramMessage, username: string): boolean {
  const text = message.text ?? message.caption ?? '';
  const wanted = `@${username.toLowerCase()}`;
  return (message.entities ?? []).some(
    (entity) => entity.type === 'mention' && text.slice(entity.offset, entity.offset + entity.length).toLowerCase() === wanted,
  );
}

function authorOf(message: TelegramMessage) {
  if (message.from) {
    const name = [message.from.first_name, message.from.last_name].filter(Boolean).join(' ');
    return {
      id: String(message.from.id),
      ...(message.from.username ? { handle: message.from.username } : {}),
      ...(name ? { name } : {}),
    };
  }
  // Channel posts and anonymous group admins speak as a chat.
  const chat = message.sender_chat ?? message.chat;
  const name = message.author_signature ?? chatName(chat);
  return { id: String(chat.id), ...(chat.username ? { handle: chat.username } : {}), ...(name ? { name } : {}) };
}

function chatName(chat: z.infer<typeof chatSchema>): string | undefined {
  return chat.title ?? ([chat.first_name, chat.last_name].filter(Boolean).join(' ') || chat.username);
}

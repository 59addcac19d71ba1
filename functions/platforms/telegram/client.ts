import type { ActionCommand } from '../../core/action-command.js';
import { type ConnectorContext, credential, type Delivered } from '../../core/connector.js';
import { PermanentActionError, TransientActionError } from '../../core/errors.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import { commandText, stringParam, unsupportedAction } from '../shared/command-params.js';
import { retryAfterMs } from '../shared/retry-after.js';

export const TELEGRAM_BOT_TOKEN = 'FOGHORN_TELEGRAM_BOT_TOKEN';
/** The channel (`@name` or `-100…` id) a `post` goes to when the action names none. */
export const TELEGRAM_CHANNEL = 'FOGHORN_TELEGRAM_CHANNEL';
export const TELEGRAM_API_URL = 'FOGHORN_TELEGRAM_API_URL';
export const DEFAULT_TELEGRAM_API_URL = 'https://api.telegram.org';

export const TELEGRAM_ACTIONS = ['reply', 'post'] as const;

/**
 * reply: `sendMessage` to the chat, answering the message (`reply_parameters`) in its forum topic;
 * post: `sendMessage` to `params.channel` or FOGHORN_TELEGRAM_CHANNEL.
 */
export function buildTelegramRequest(command: ActionCommand, context: ConnectorContext): OutboundRequest {
  const text = commandText(command);
  if (command.type === 'reply') {
    const meta = command.event.meta ?? {};
    const messageId = meta.messageId;
    const threadId = meta.messageThreadId;
    return sendMessage(context, {
      chat_id: meta.chatId ?? command.event.channel.id,
      text,
      ...(typeof threadId === 'number' ? { message_thread_id: threadId } : {}),
      ...(typeof messageId === 'number' ? { reply_parameters: { message_id: messageId, allow_sending_without_reply: true } } : {}),
    });
  }
  if (command.type === 'post') {
    const channel = stringParam(command, 'channel') ?? context.settings.get(TELEGRAM_CHANNEL);
    if (!channel) throw new PermanentActionError(`post ${command.id}: no channel to post to (set params.channel or ${TELEGRAM_CHANNEL})`);
    return sendMessage(context, { chat_id: channel, text });
  }
  throw unsupportedAction(command, 'telegram', TELEGRAM_ACTIONS);
}

/** The Bot API puts the token in the path (`/bot<token>/<method>`); recorded requests must redact it. */
function sendMessage(context: ConnectorContext, body: Record<string, unknown>): OutboundRequest {
  const base = (context.settings.get(TELEGRAM_API_URL) ?? DEFAULT_TELEGRAM_API_URL).replace(/\/+$/, '');
  return {
    method: 'POST',
    url: `${base}/bot${credential(context.settings, TELEGRAM_BOT_TOKEN)}/sendMessage`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

interface BotApiAnswer {
  ok?: boolean;
  description?: string;
  error_code?: number;
  result?: { message_id?: number; chat?: { id?: number } };
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/**
 * `{"ok":true,"result":Message}` → `<chat id>:<message id>`; 429 (and `parameters.retry_after`) and 5xx are
 * transient; any other error (400 bad request, 401 bad token, 403 bot blocked or kicked) is permanent.
 */
export function interpretTelegramResponse(response: OutboundResponse, _command: ActionCommand, context: ConnectorContext): Delivered {
  const answer = tryJson(response.body);
  if (response.status >= 200 && response.status < 300 && answer?.ok !== false) {
    const messageId = answer?.result?.message_id;
    const chatId = answer?.result?.chat?.id;
    return messageId === undefined ? {} : { externalId: chatId === undefined ? String(messageId) : `${chatId}:${messageId}` };
  }
  const code = answer?.error_code ?? response.status;
  const text = `Telegram Bot API error ${code}: ${answer?.description ?? response.body.slice(0, 300)}`;
  const retryAfter = answer?.parameters?.retry_after;
  if (code === 429 || retryAfter !== undefined) {
    const wait = retryAfter !== undefined ? retryAfter * 1000 : retryAfterMs(response.headers['retry-after'], context.now.getTime());
    throw new TransientActionError(`rate limited: ${text}`, wait, answer);
  }
  if (response.status >= 500) throw new TransientActionError(text, undefined, answer);
  throw new PermanentActionError(text, answer);
}

function tryJson(body: string): BotApiAnswer | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as BotApiAnswer) : undefined;
  } catch {
    return undefined;
  }
}

import { createHash } from 'node:crypto';
import type { ActionCommand } from '../../core/action-command.js';
import type { Delivered } from '../../core/connector.js';
import { credential } from '../../core/connector.js';
import { PermanentActionError, TransientActionError } from '../../core/errors.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import type { Settings } from '../../core/settings.js';
import { retryAfterMs } from '../shared/retry-after.js';
import { VK_API_URL, VK_API_VERSION, VK_DEFAULT_API_URL, VK_DEFAULT_API_VERSION, VK_DEFAULT_PEER_ID, VK_TOKEN } from './settings.js';

/**
 * VK error codes a later retry can get past: 6 too many requests per second, 9 flood control, 29 rate limit
 * reached (a method's quota; it lifts later, so a longer wait), 1 unknown, 10 internal.
 */
const TRANSIENT_ERRORS: Readonly<Record<number, number>> = { 6: 1_000, 9: 60_000, 29: 600_000, 1: 5_000, 10: 5_000 };

/**
 * `random_id` makes messages.send idempotent on VK's side: the same value from the same community is sent
 * once. Deriving it from the command id means a retried command can never post twice.
 */
export function vkRandomId(commandId: string): number {
  const value = createHash('sha256').update(commandId).digest().readUInt32BE(0) & 0x7fffffff;
  return value === 0 ? 1 : value;
}

/** messages.send for a message, wall.createComment under the post for a wall comment; form-encoded, with `v` and the token. */
export function buildVkRequest(command: ActionCommand, settings: Settings): OutboundRequest {
  const text = textParam(command);
  const { event } = command;
  const meta = event.meta ?? {};
  if (command.type === 'reply' && meta.type === 'wall_reply_new') {
    const ownerId = Number(meta.postOwnerId);
    return vkMethod(settings, 'wall.createComment', {
      owner_id: String(ownerId),
      post_id: String(meta.postId),
      // Threads on VK are one level deep: answer under the same top-level comment, addressed to this one.
      reply_to_comment: String(meta.commentId),
      message: text,
      ...(ownerId < 0 ? { from_group: String(-ownerId) } : {}),
      guid: command.id,
    });
  }
  if (command.type === 'reply') {
    const peerId = String(meta.peerId ?? event.channel.id);
    const messageId = typeof meta.messageId === 'number' ? meta.messageId : 0;
    const cmid = typeof meta.conversationMessageId === 'number' ? meta.conversationMessageId : undefined;
    // In group chats a community sees messages only by conversation_message_id (id is 0): reply by forward.
    const replyField: Record<string, string> =
      messageId > 0
        ? { reply_to: String(messageId) }
        : cmid !== undefined
          ? { forward: JSON.stringify({ peer_id: Number(peerId), conversation_message_ids: [cmid], is_reply: true }) }
          : {};
    return vkMethod(settings, 'messages.send', {
      peer_id: peerId,
      random_id: String(vkRandomId(command.id)),
      message: text,
      ...replyField,
    });
  }
  const peerId =
    typeof command.params.channel === 'string' || typeof command.params.channel === 'number'
      ? String(command.params.channel)
      : settings.get(VK_DEFAULT_PEER_ID);
  if (!peerId) throw new PermanentActionError(`vk post needs params.channel (a peer_id) or ${VK_DEFAULT_PEER_ID}`);
  return vkMethod(settings, 'messages.send', { peer_id: peerId, random_id: String(vkRandomId(command.id)), message: text });
}

function vkMethod(settings: Settings, method: string, params: Record<string, string>): OutboundRequest {
  const base = (settings.get(VK_API_URL) ?? VK_DEFAULT_API_URL).replace(/\/+$/, '');
  const body = new URLSearchParams({
    ...params,
    access_token: credential(settings, VK_TOKEN),
    v: settings.get(VK_API_VERSION) ?? VK_DEFAULT_API_VERSION,
  });
  return {
    method: 'POST',
    url: `${base}/${method}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  };
}

function textParam(command: ActionCommand): string {
  const { text } = command.params;
  if (typeof text !== 'string' || text === '') throw new PermanentActionError(`vk ${command.type} needs params.text (non-empty)`);
  return text;
}

/** VK answers HTTP 200 either `{response: …}` or `{error: {error_code, error_msg}}`. */
export function interpretVkResponse(response: OutboundResponse): Delivered {
  if (response.status === 429 || response.status >= 500) {
    throw new TransientActionError(`vk answered HTTP ${response.status}`, retryAfterMs(header(response, 'retry-after')));
  }
  let body: { response?: unknown; error?: { error_code?: number; error_msg?: string } };
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    throw new PermanentActionError(`vk answered HTTP ${response.status} with a body that is not JSON`, response.body.slice(0, 500));
  }
  if (body.error) {
    const code = body.error.error_code ?? 0;
    // Only the code and message: VK echoes the request parameters, token included, in error.request_params.
    const message = `vk error ${code}: ${body.error.error_msg ?? 'unknown'}`;
    const wait = TRANSIENT_ERRORS[code];
    if (wait !== undefined) throw new TransientActionError(message, wait, { code });
    throw new PermanentActionError(message, { code });
  }
  if (response.status >= 400) throw new PermanentActionError(`vk answered HTTP ${response.status}`, response.body.slice(0, 500));
  return { ...externalIdOf(body.response) };
}

function externalIdOf(result: unknown): Delivered {
  if (typeof result === 'number') return { externalId: String(result) };
  if (typeof result === 'object' && result !== null && 'comment_id' in result)
    return { externalId: String((result as { comment_id: unknown }).comment_id) };
  if (Array.isArray(result)) {
    const first = result[0] as { message_id?: unknown; conversation_message_id?: unknown } | undefined;
    const id = first?.message_id ?? first?.conversation_message_id;
    if (id !== undefined) return { externalId: String(id) };
  }
  return {};
}

function header(response: OutboundResponse, name: string): string | undefined {
  const key = Object.keys(response.headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : response.headers[key];
}

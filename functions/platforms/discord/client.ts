import type { ActionCommand } from '../../core/action-command.js';
import type { Delivered } from '../../core/connector.js';
import { credential } from '../../core/connector.js';
import { PermanentActionError, TransientActionError } from '../../core/errors.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import type { Settings } from '../../core/settings.js';
import { retryAfterMs } from '../shared/retry-after.js';
import { DISCORD_API_URL, DISCORD_BOT_TOKEN, DISCORD_DEFAULT_API_URL, DISCORD_DEFAULT_CHANNEL } from './settings.js';

/** Discord keeps an interaction token usable for follow-ups for 15 minutes; leave a margin for the request itself. */
export const INTERACTION_TOKEN_LIFETIME_MS = 14 * 60 * 1000;
/** Discord asks bots to identify themselves this way. */
const USER_AGENT = 'DiscordBot (https://github.com/foghorn/foghorn, 0.1.0)';
/** Nobody is pinged by what a rule writes, whatever the text contains. */
const NO_PINGS = { parse: [] as string[] };

/**
 * A reply to an interaction is a follow-up on its webhook (`POST /webhooks/{application}/{token}`), which
 * completes the deferred "thinking…" answer. Once the token has expired, or for anything else, the reply is a
 * channel message that references the message it answers; a post is a channel message.
 */
export function buildDiscordRequest(command: ActionCommand, settings: Settings, now: Date): OutboundRequest {
  const content = textParam(command);
  const base = (settings.get(DISCORD_API_URL) ?? DISCORD_DEFAULT_API_URL).replace(/\/+$/, '');
  const { event } = command;
  const meta = event.meta ?? {};

  if (command.type === 'reply') {
    const token = typeof meta.interactionToken === 'string' ? meta.interactionToken : undefined;
    const applicationId = typeof meta.applicationId === 'string' ? meta.applicationId : undefined;
    const age = now.getTime() - Date.parse(event.createdAt);
    if (token && applicationId && age < INTERACTION_TOKEN_LIFETIME_MS) {
      // The interaction token in the path is the credential; no bot token is sent.
      return jsonPost(`${base}/webhooks/${applicationId}/${token}`, { 'user-agent': USER_AGENT }, { content, allowed_mentions: NO_PINGS });
    }
    const replyTo = event.thread.replyToId;
    return channelMessage(base, event.channel.id, settings, command, {
      content,
      ...(replyTo ? { message_reference: { message_id: replyTo, channel_id: event.channel.id, fail_if_not_exists: false } } : {}),
    });
  }
  const channel = typeof command.params.channel === 'string' ? command.params.channel : settings.get(DISCORD_DEFAULT_CHANNEL);
  if (!channel) throw new PermanentActionError(`discord post needs params.channel or ${DISCORD_DEFAULT_CHANNEL}`);
  return channelMessage(base, channel, settings, command, { content });
}

function channelMessage(
  base: string,
  channelId: string,
  settings: Settings,
  command: ActionCommand,
  body: Record<string, unknown>,
): OutboundRequest {
  return jsonPost(
    `${base}/channels/${channelId}/messages`,
    {
      authorization: `Bot ${credential(settings, DISCORD_BOT_TOKEN)}`,
      'user-agent': USER_AGENT,
    },
    {
      ...body,
      allowed_mentions: NO_PINGS,
      // Discord drops a second message with the same nonce sent within minutes: a retried command posts once.
      nonce: command.id.replace(/^act_/, '').slice(0, 25),
      enforce_nonce: true,
    },
  );
}

function jsonPost(url: string, headers: Record<string, string>, body: Record<string, unknown>): OutboundRequest {
  return { method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

function textParam(command: ActionCommand): string {
  const { text } = command.params;
  if (typeof text !== 'string' || text === '') throw new PermanentActionError(`discord ${command.type} needs params.text (non-empty)`);
  return text;
}

/** 2xx gives the message; 429 carries `retry_after` (seconds, fractional) in the body; other 4xx are Discord's verdict. */
export function interpretDiscordResponse(response: OutboundResponse): Delivered {
  const body = parseBody(response.body);
  if (response.status >= 200 && response.status < 300) return typeof body.id === 'string' ? { externalId: body.id } : {};
  const detail = {
    status: response.status,
    ...(body.code === undefined ? {} : { code: body.code }),
    ...(body.message === undefined ? {} : { message: body.message }),
  };
  if (response.status === 429) {
    const fromBody = typeof body.retry_after === 'number' ? Math.ceil(body.retry_after * 1000) : undefined;
    throw new TransientActionError(
      `discord rate limit${body.global ? ' (global)' : ''}: ${body.message ?? 'HTTP 429'}`,
      fromBody ?? retryAfterMs(header(response, 'retry-after')),
      detail,
    );
  }
  if (response.status >= 500)
    throw new TransientActionError(`discord answered HTTP ${response.status}`, retryAfterMs(header(response, 'retry-after')), detail);
  throw new PermanentActionError(
    `discord: ${body.message ?? `HTTP ${response.status}`}${body.code === undefined ? '' : ` (code ${String(body.code)})`}`,
    detail,
  );
}

function parseBody(text: string): { id?: unknown; message?: string; code?: unknown; retry_after?: unknown; global?: boolean } {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as ReturnType<typeof parseBody>) : {};
  } catch {
    return {};
  }
}

function header(response: OutboundResponse, name: string): string | undefined {
  const key = Object.keys(response.headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : response.headers[key];
}

import type { ActionCommand } from '../../core/action-command.js';
import { type ConnectorContext, credential, type Delivered } from '../../core/connector.js';
import { PermanentActionError, TransientActionError } from '../../core/errors.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import { commandText, metaString, pathId, unsupportedAction } from '../shared/command-params.js';
import { retryAfterMs } from '../shared/retry-after.js';
import { X } from './normalise.js';

/** An OAuth 2.0 user-context access token with `tweet.write` and `dm.write` (app-only tokens cannot post). */
export const X_BEARER_TOKEN = 'FOGHORN_X_BEARER_TOKEN';
export const X_API_URL = 'FOGHORN_X_API_URL';
export const DEFAULT_X_API_URL = 'https://api.x.com';
/** When a 429 carries no reset time: X's windows are 15 minutes; a minute is a polite first wait. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

export const X_ACTIONS = ['reply', 'post'] as const;

/**
 * reply to a post: `POST /2/tweets` with `reply.in_reply_to_tweet_id`; reply to a DM:
 * `POST /2/dm_conversations/with/{participant}/messages`; post: `POST /2/tweets`.
 */
export function buildXRequest(command: ActionCommand, context: ConnectorContext): OutboundRequest {
  const text = commandText(command);
  if (command.type === 'reply') {
    const participant = metaString(command, 'recipientId');
    if (command.event.kind === 'dm' && participant) {
      return xPost(context, `2/dm_conversations/with/${pathId(participant)}/messages`, { text });
    }
    const tweetId = metaString(command, 'tweetId');
    if (!tweetId) throw new PermanentActionError(`event ${command.event.id} has no post to reply to (meta.tweetId)`);
    return xPost(context, '2/tweets', { text, reply: { in_reply_to_tweet_id: tweetId } });
  }
  if (command.type === 'post') return xPost(context, '2/tweets', { text });
  throw unsupportedAction(command, X, X_ACTIONS);
}

function xPost(context: ConnectorContext, path: string, body: Record<string, unknown>): OutboundRequest {
  const base = (context.settings.get(X_API_URL) ?? DEFAULT_X_API_URL).replace(/\/+$/, '');
  return {
    method: 'POST',
    url: `${base}/${path}`,
    headers: { authorization: `Bearer ${credential(context.settings, X_BEARER_TOKEN)}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

interface XAnswer {
  data?: { id?: string; dm_event_id?: string };
  title?: string;
  detail?: string;
  errors?: Array<{ message?: string; detail?: string }>;
}

/**
 * 2xx: the new post's or DM event's id. 429: wait until `x-rate-limit-reset` (epoch seconds). 5xx: transient.
 * Other errors (401 bad token, 403 forbidden or duplicate, 400 invalid) are permanent, with X's own words.
 */
export function interpretXResponse(response: OutboundResponse, _command: ActionCommand, context: ConnectorContext): Delivered {
  const answer = tryJson(response.body);
  if (response.status >= 200 && response.status < 300) {
    const id = answer?.data?.id ?? answer?.data?.dm_event_id;
    return id === undefined ? {} : { externalId: id };
  }
  const reason =
    answer?.detail ?? answer?.errors?.[0]?.message ?? answer?.errors?.[0]?.detail ?? answer?.title ?? response.body.slice(0, 300);
  const text = `X API answered ${response.status}: ${reason}`;
  if (response.status === 429) {
    const now = context.now.getTime();
    const wait =
      resetWaitMs(response.headers['x-rate-limit-reset'], now) ??
      retryAfterMs(response.headers['retry-after'], now) ??
      DEFAULT_RATE_LIMIT_WAIT_MS;
    throw new TransientActionError(`rate limited: ${text}`, wait, answer);
  }
  if (response.status >= 500)
    throw new TransientActionError(text, retryAfterMs(response.headers['retry-after'], context.now.getTime()), answer);
  throw new PermanentActionError(text, answer);
}

function resetWaitMs(header: string | undefined, now: number): number | undefined {
  const seconds = Number(header);
  if (header === undefined || !Number.isFinite(seconds)) return undefined;
  return Math.max(0, seconds * 1000 - now);
}

function tryJson(body: string): XAnswer | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as XAnswer) : undefined;
  } catch {
    return undefined;
  }
}

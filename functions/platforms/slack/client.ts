import type { ActionCommand } from '../../core/action-command.js';
import type { Delivered } from '../../core/connector.js';
import { credential } from '../../core/connector.js';
import { PermanentActionError, TransientActionError } from '../../core/errors.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import type { Settings } from '../../core/settings.js';
import { retryAfterMs } from '../shared/retry-after.js';
import { FOGHORN_METADATA_EVENT_TYPE } from './normalise.js';
import { SLACK_API_URL, SLACK_BOT_TOKEN, SLACK_DEFAULT_API_URL, SLACK_DEFAULT_CHANNEL } from './settings.js';

/** Slack errors a retry will not fix; anything else Slack reports as `ok:false` is treated the same unless listed as transient. */
const TRANSIENT_ERRORS = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);
/** When Slack rate-limits without saying how long (it normally sends Retry-After). */
const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

/**
 * `chat.postMessage`: a reply goes into the message's thread (`thread_ts`: the thread's root, or the message
 * itself, which starts a thread under it); a DM outside a thread is answered inline; a post goes to a channel.
 */
export function buildSlackRequest(command: ActionCommand, settings: Settings): OutboundRequest {
  const text = textParam(command);
  const target: { channel: string; threadTs?: string } = command.type === 'post' ? postTarget(command, settings) : replyTarget(command);
  const body = JSON.stringify({
    channel: target.channel,
    text,
    ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
    // Marks the message as Foghorn's, so the echo Slack delivers back is recognised (sentByFoghorn).
    metadata: { event_type: FOGHORN_METADATA_EVENT_TYPE, event_payload: { command_id: command.id } },
  });
  return {
    method: 'POST',
    url: `${apiBase(settings)}/chat.postMessage`,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      authorization: `Bearer ${credential(settings, SLACK_BOT_TOKEN)}`,
    },
    body,
  };
}

function replyTarget(command: ActionCommand): { channel: string; threadTs?: string } {
  const { event } = command;
  const meta = event.meta ?? {};
  const ts = typeof meta.ts === 'string' ? meta.ts : undefined;
  const threadTs = typeof meta.threadTs === 'string' ? meta.threadTs : undefined;
  const inlineDm = event.kind === 'dm' && threadTs === undefined;
  return { channel: event.channel.id, ...(inlineDm ? {} : { threadTs: threadTs ?? event.thread.id ?? ts }) };
}

function postTarget(command: ActionCommand, settings: Settings): { channel: string } {
  const channel = typeof command.params.channel === 'string' ? command.params.channel : settings.get(SLACK_DEFAULT_CHANNEL);
  if (!channel) throw new PermanentActionError(`slack post needs params.channel or ${SLACK_DEFAULT_CHANNEL}`);
  return { channel };
}

function textParam(command: ActionCommand): string {
  const { text } = command.params;
  if (typeof text !== 'string' || text === '') throw new PermanentActionError(`slack ${command.type} needs params.text (non-empty)`);
  return text;
}

export function apiBase(settings: Settings): string {
  return (settings.get(SLACK_API_URL) ?? SLACK_DEFAULT_API_URL).replace(/\/+$/, '');
}

/** Slack answers HTTP 200 with `ok:false` and an error code, except for rate limits (HTTP 429 + Retry-After). */
export function interpretSlackResponse(response: OutboundResponse): Delivered {
  const retryAfter = retryAfterMs(header(response, 'retry-after'));
  if (response.status === 429) {
    throw new TransientActionError('slack rate limit (HTTP 429)', retryAfter ?? DEFAULT_RATE_LIMIT_WAIT_MS, { error: 'ratelimited' });
  }
  if (response.status >= 500)
    throw new TransientActionError(`slack answered HTTP ${response.status}`, retryAfter, response.body.slice(0, 500));
  let body: { ok?: boolean; error?: string; ts?: string; warning?: string };
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    throw new PermanentActionError(`slack answered HTTP ${response.status} with a body that is not JSON`, response.body.slice(0, 500));
  }
  if (body.ok === true) return typeof body.ts === 'string' ? { externalId: body.ts } : {};
  const error = body.error ?? `http_${response.status}`;
  if (TRANSIENT_ERRORS.has(error)) {
    throw new TransientActionError(`slack: ${error}`, retryAfter ?? (error === 'ratelimited' ? DEFAULT_RATE_LIMIT_WAIT_MS : undefined), {
      error,
    });
  }
  throw new PermanentActionError(`slack: ${error}`, { error });
}

function header(response: OutboundResponse, name: string): string | undefined {
  const key = Object.keys(response.headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : response.headers[key];
}

import type { ActionCommand } from '../../core/action-command.js';
import type { ConnectorContext, Delivered } from '../../core/connector.js';
import { credential } from '../../core/connector.js';
import { MAX_RETRY_AFTER_MS, PermanentActionError, TransientActionError } from '../../core/errors.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import type { Settings } from '../../core/settings.js';
import { commandText, metaString, unsupportedAction } from '../shared/command-params.js';
import { retryAfterMs } from '../shared/retry-after.js';
import {
  LINKEDIN,
  LINKEDIN_ACCESS_TOKEN,
  LINKEDIN_API_URL,
  LINKEDIN_DEFAULT_API_URL,
  LINKEDIN_DEFAULT_VERSION,
  LINKEDIN_ORGANIZATION_ID,
  LINKEDIN_VERSION,
} from './settings.js';

export const LINKEDIN_ACTIONS = ['reply'] as const;

/** A versioned REST request (`/rest/…`): bearer token, `LinkedIn-Version`, Rest.li protocol 2.0.0. */
export function linkedInRequest(settings: Settings, method: OutboundRequest['method'], path: string, body?: unknown): OutboundRequest {
  const base = (settings.get(LINKEDIN_API_URL) ?? LINKEDIN_DEFAULT_API_URL).replace(/\/+$/, '');
  return {
    method,
    url: `${base}/rest/${path}`,
    headers: {
      authorization: `Bearer ${credential(settings, LINKEDIN_ACCESS_TOKEN)}`,
      'linkedin-version': settings.get(LINKEDIN_VERSION) ?? LINKEDIN_DEFAULT_VERSION,
      'x-restli-protocol-version': '2.0.0',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

/** The Page's urn, the `actor` of its comments: the setting, else the page the event came from. */
export function organizationUrn(command: ActionCommand, settings: Settings): string {
  const id = settings.get(LINKEDIN_ORGANIZATION_ID);
  if (id) return `urn:li:organization:${id}`;
  if (command.event.platform === LINKEDIN) return command.event.channel.id;
  throw new PermanentActionError(`linkedin ${command.type} ${command.id}: no Page to comment as (set ${LINKEDIN_ORGANIZATION_ID})`);
}

/**
 * A reply is a comment as the Page: `POST /rest/socialActions/{urn}/comments` under the comment answered (nested,
 * with `parentComment`) or on the post that mentions the Page. LinkedIn has no idempotency key (see reconcile.ts).
 */
export function buildLinkedInRequest(command: ActionCommand, context: ConnectorContext): OutboundRequest {
  if (command.type !== 'reply') throw unsupportedAction(command, LINKEDIN, LINKEDIN_ACTIONS);
  const text = commandText(command);
  const commentsOn = metaString(command, 'commentsOn');
  const object = metaString(command, 'object');
  if (!commentsOn || !object)
    throw new PermanentActionError(`event ${command.event.id} has nothing to comment under (meta.commentsOn and meta.object)`);
  const parentComment = metaString(command, 'parentComment');
  return linkedInRequest(context.settings, 'POST', `socialActions/${encodeURIComponent(commentsOn)}/comments`, {
    actor: organizationUrn(command, context.settings),
    object,
    message: { text },
    ...(parentComment ? { parentComment } : {}),
  });
}

interface RestliError {
  status?: number;
  code?: string;
  serviceErrorCode?: number;
  message?: string;
}

/**
 * 201 with the comment (its urn in the body or `x-restli-id`). 429 is a quota (LinkedIn's reset daily at midnight
 * UTC): waited out until Retry-After or the reset, capped; 5xx transient; 401 (the 60-day token expired), 403
 * (a lost role or permission) and other 4xx need a person.
 */
export function interpretLinkedInResponse(response: OutboundResponse, _command: ActionCommand, context: ConnectorContext): Delivered {
  if (response.status >= 200 && response.status < 300) return createdComment(response);
  const error = parse(response.body) as RestliError | undefined;
  const text = `linkedin answered ${response.status}${error?.code ? ` ${error.code}` : ''}: ${error?.message ?? response.body.slice(0, 300)}`;
  if (response.status === 429) {
    const wait = retryAfterMs(headerValue(response.headers, 'retry-after'), context.now.getTime()) ?? untilUtcMidnight(context.now);
    throw new TransientActionError(text, wait, { status: response.status, error });
  }
  if (response.status >= 500)
    throw new TransientActionError(text, retryAfterMs(headerValue(response.headers, 'retry-after')), { status: response.status });
  throw new PermanentActionError(text, { status: response.status, error });
}

function createdComment(response: OutboundResponse): Delivered {
  const body = parse(response.body) as { commentUrn?: unknown; $URN?: unknown; id?: unknown } | undefined;
  const urn = body?.commentUrn ?? body?.$URN ?? headerValue(response.headers, 'x-restli-id') ?? body?.id;
  return typeof urn === 'string' || typeof urn === 'number' ? { externalId: String(urn) } : {};
}

function untilUtcMidnight(now: Date): number {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.min(MAX_RETRY_AFTER_MS, midnight - now.getTime());
}

export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

export function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

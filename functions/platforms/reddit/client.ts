import type { ActionCommand } from '../../core/action-command.js';
import type { Delivered } from '../../core/connector.js';
import { credential } from '../../core/connector.js';
import { PermanentActionError, TransientActionError } from '../../core/errors.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import type { Settings } from '../../core/settings.js';
import { retryAfterMs } from '../shared/retry-after.js';
import { rateLimitResetMs } from './rate-limit.js';
import { REDDIT_ACCESS_TOKEN, REDDIT_API_URL, REDDIT_DEFAULT_API_URL, REDDIT_USERNAME, redditUserAgent } from './settings.js';

/** Reddit's "you are doing that too much" when it gives no time. */
const DEFAULT_RATELIMIT_WAIT_MS = 60_000;

/** `POST /api/comment` with `thing_id` = the comment or message answered (its fullname). */
export function buildRedditRequest(command: ActionCommand, settings: Settings): OutboundRequest {
  const { text } = command.params;
  if (typeof text !== 'string' || text === '') throw new PermanentActionError(`reddit ${command.type} needs params.text (non-empty)`);
  const fullname = command.event.meta?.fullname;
  if (typeof fullname !== 'string')
    throw new PermanentActionError(`reddit reply needs the event's fullname (meta.fullname); event ${command.event.id} has none`);
  const base = (settings.get(REDDIT_API_URL) ?? REDDIT_DEFAULT_API_URL).replace(/\/+$/, '');
  return {
    method: 'POST',
    url: `${base}/api/comment`,
    headers: {
      authorization: `bearer ${credential(settings, REDDIT_ACCESS_TOKEN)}`,
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': redditUserAgent(settings.get(REDDIT_USERNAME)),
    },
    body: new URLSearchParams({ api_type: 'json', thing_id: fullname, text }).toString(),
  };
}

interface CommentAnswer {
  json?: {
    errors?: [string, string, string?][];
    ratelimit?: number;
    data?: { things?: { kind?: string; data?: { name?: string; id?: string } }[] };
  };
}

/** Errors Reddit reports inside a 200 (`json.errors`: [code, message, field]); RATELIMIT is the only one a wait fixes. */
export function interpretRedditResponse(response: OutboundResponse): Delivered {
  if (response.status === 429 || response.status >= 500) {
    throw new TransientActionError(
      `reddit answered HTTP ${response.status}`,
      rateLimitResetMs(response) ?? retryAfterMs(response.headers['retry-after']),
    );
  }
  if (response.status === 401)
    throw new TransientActionError('reddit refused the access token (HTTP 401); the next attempt fetches a new one', 0);
  if (response.status !== 200)
    throw new PermanentActionError(`reddit answered HTTP ${response.status}: ${response.body.slice(0, 300)}`, { status: response.status });
  let body: CommentAnswer;
  try {
    body = JSON.parse(response.body) as CommentAnswer;
  } catch {
    throw new PermanentActionError('reddit answered 200 with a body that is not JSON', response.body.slice(0, 300));
  }
  const errors = body.json?.errors ?? [];
  const [first] = errors;
  if (first) {
    const message = `reddit: ${first[0]}: ${first[1]}`;
    if (first[0] === 'RATELIMIT') {
      throw new TransientActionError(
        message,
        typeof body.json?.ratelimit === 'number' ? Math.ceil(body.json.ratelimit * 1000) : DEFAULT_RATELIMIT_WAIT_MS,
        { errors },
      );
    }
    throw new PermanentActionError(message, { errors });
  }
  const name = body.json?.data?.things?.[0]?.data?.name;
  return typeof name === 'string' ? { externalId: name } : {};
}

import { createHash } from 'node:crypto';
import { credential } from '../../core/connector.js';
import { PermanentActionError, TransientActionError } from '../../core/errors.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import type { Settings } from '../../core/settings.js';
import { retryAfterMs } from '../shared/retry-after.js';
import {
  REDDIT_AUTH_URL,
  REDDIT_CLIENT_ID,
  REDDIT_CLIENT_SECRET,
  REDDIT_DEFAULT_AUTH_URL,
  REDDIT_REFRESH_TOKEN,
  REDDIT_USERNAME,
  redditUserAgent,
} from './settings.js';

export type Send = (request: OutboundRequest) => Promise<OutboundResponse>;

/** Refresh this long before Reddit says the token expires, so a request never carries a token that dies on the way. */
const EXPIRY_MARGIN_MS = 60_000;

/** `POST /api/v1/access_token` with HTTP Basic client credentials: trades the refresh token for an access token. */
export function buildTokenRequest(settings: Settings): OutboundRequest {
  const base = (settings.get(REDDIT_AUTH_URL) ?? REDDIT_DEFAULT_AUTH_URL).replace(/\/+$/, '');
  const basic = Buffer.from(`${credential(settings, REDDIT_CLIENT_ID)}:${credential(settings, REDDIT_CLIENT_SECRET)}`).toString('base64');
  return {
    method: 'POST',
    url: `${base}/api/v1/access_token`,
    headers: {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': redditUserAgent(settings.get(REDDIT_USERNAME)),
    },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential(settings, REDDIT_REFRESH_TOKEN) }).toString(),
  };
}

export interface AccessToken {
  value: string;
  expiresAt: number;
}

/** Reads the token answer; a refused refresh token (400/401, `invalid_grant`) is permanent: a person must re-authorise. */
export function readTokenResponse(response: OutboundResponse, now: Date): AccessToken {
  if (response.status === 429 || response.status >= 500) {
    throw new TransientActionError(`reddit token endpoint answered HTTP ${response.status}`, retryAfterMs(response.headers['retry-after']));
  }
  let body: { access_token?: unknown; expires_in?: unknown; error?: unknown };
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    throw new PermanentActionError(`reddit token endpoint answered HTTP ${response.status} with a body that is not JSON`);
  }
  if (response.status !== 200 || typeof body.access_token !== 'string') {
    throw new PermanentActionError(
      `reddit refused the refresh token: ${typeof body.error === 'string' ? body.error : `HTTP ${response.status}`}`,
      { status: response.status },
    );
  }
  const lifetimeSeconds = typeof body.expires_in === 'number' ? body.expires_in : 3600;
  return { value: body.access_token, expiresAt: now.getTime() + lifetimeSeconds * 1000 };
}

/**
 * Access tokens kept per (client, refresh token) for their lifetime, so a warm Lambda or the local runtime
 * refreshes once an hour or a day, not on every poll or reply.
 */
export class RedditTokenCache {
  private readonly tokens = new Map<string, AccessToken>();

  async get(settings: Settings, now: Date, send: Send): Promise<string> {
    const key = createHash('sha256')
      .update(`${settings.get(REDDIT_CLIENT_ID) ?? ''}\u0000${settings.get(REDDIT_REFRESH_TOKEN) ?? ''}`)
      .digest('hex');
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt - EXPIRY_MARGIN_MS > now.getTime()) return cached.value;
    const token = readTokenResponse(await send(buildTokenRequest(settings)), now);
    this.tokens.set(key, token);
    return token.value;
  }

  /** Forgets the tokens (after Reddit answered 401 to one). */
  clear(): void {
    this.tokens.clear();
  }
}

export const sharedTokenCache = new RedditTokenCache();

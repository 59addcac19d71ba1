import { credential } from '../../core/connector.js';
import { PermanentActionError, TransientActionError } from '../../core/errors.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import type { Settings } from '../../core/settings.js';
import { resetWaitMs } from '../shared/rate-limit-reset.js';
import { BLUESKY_APP_PASSWORD, BLUESKY_BASE_URL, BLUESKY_DEFAULT_BASE_URL, BLUESKY_HANDLE } from './settings.js';

export type Send = (request: OutboundRequest) => Promise<OutboundResponse>;

/** A session's access token and whose it is. */
export interface BlueskySession {
  accessJwt: string;
  did: string;
  handle: string;
  expiresAt: number;
}

/** Access tokens live about two hours; without a readable `exp` one is trusted this long. */
const DEFAULT_LIFETIME_MS = 60 * 60_000;
/** Renew this long before the token's `exp`, so a request never carries a token that dies on the way. */
const EXPIRY_MARGIN_MS = 2 * 60_000;

export function blueskyBaseUrl(settings: Settings, override?: string): string {
  return (override ?? settings.get(BLUESKY_BASE_URL) ?? BLUESKY_DEFAULT_BASE_URL).replace(/\/+$/, '');
}

/** `com.atproto.server.createSession` with the handle and the app password (https://docs.bsky.app/docs/api/com-atproto-server-create-session). */
export function createSessionRequest(settings: Settings, baseUrl: string): OutboundRequest {
  return {
    method: 'POST',
    url: `${baseUrl}/xrpc/com.atproto.server.createSession`,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ identifier: credential(settings, BLUESKY_HANDLE), password: credential(settings, BLUESKY_APP_PASSWORD) }),
  };
}

/** Reads createSession's answer; a refused app password is permanent (a person must fix it), a 429 or 5xx waits. */
export function readSessionResponse(response: OutboundResponse, now: Date): BlueskySession {
  if (response.status === 429 || response.status >= 500)
    throw new TransientActionError(`bluesky createSession answered HTTP ${response.status}`, resetWaitMs(response, now));
  let body: { accessJwt?: unknown; did?: unknown; handle?: unknown; error?: unknown; message?: unknown };
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    throw new PermanentActionError(`bluesky createSession answered HTTP ${response.status} with a body that is not JSON`);
  }
  if (response.status !== 200 || typeof body.accessJwt !== 'string' || typeof body.did !== 'string') {
    const reason =
      typeof body.error === 'string'
        ? `${body.error}${typeof body.message === 'string' ? `: ${body.message}` : ''}`
        : `HTTP ${response.status}`;
    throw new PermanentActionError(`bluesky refused the app password (createSession): ${reason}`, { status: response.status });
  }
  return {
    accessJwt: body.accessJwt,
    did: body.did,
    handle: typeof body.handle === 'string' ? body.handle : body.did,
    expiresAt: jwtExpiry(body.accessJwt) ?? now.getTime() + DEFAULT_LIFETIME_MS,
  };
}

/** The `exp` claim of a JWT, in milliseconds; the token is only read for its lifetime, never trusted for anything else. */
function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One session per process, shared by the replies and the searches: createSession is rate-limited per account
 * (30 per 5 minutes, 300 a day), so it is called only when the cached token is about to expire or was refused.
 */
export class BlueskySessionCache {
  #session: { key: string; value: BlueskySession } | undefined;
  #pending: Promise<BlueskySession> | undefined;

  async get(settings: Settings, now: Date, send: Send, baseUrl = blueskyBaseUrl(settings)): Promise<BlueskySession> {
    const key = `${baseUrl} ${settings.get(BLUESKY_HANDLE) ?? ''}`;
    const cached = this.#session;
    if (cached && cached.key === key && cached.value.expiresAt - EXPIRY_MARGIN_MS > now.getTime()) return cached.value;
    this.#pending ??= (async () => {
      try {
        const session = readSessionResponse(await send(createSessionRequest(settings, baseUrl)), now);
        this.#session = { key, value: session };
        return session;
      } finally {
        this.#pending = undefined;
      }
    })();
    return this.#pending;
  }

  clear(): void {
    this.#session = undefined;
  }
}

export const sharedBlueskySessions = new BlueskySessionCache();

import type { ActionCommand } from '../../core/action-command.js';
import { credential, type Delivered } from '../../core/connector.js';
import { PermanentActionError, TransientActionError } from '../../core/errors.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import type { Settings } from '../../core/settings.js';
import { commandText, metaString } from '../shared/command-params.js';
import { resetWaitMs } from '../shared/rate-limit-reset.js';
import {
  YOUTUBE_ACCESS_TOKEN,
  YOUTUBE_BASE_URL,
  YOUTUBE_CLIENT_ID,
  YOUTUBE_CLIENT_SECRET,
  YOUTUBE_DEFAULT_BASE_URL,
  YOUTUBE_DEFAULT_TOKEN_URL,
  YOUTUBE_REFRESH_TOKEN,
  YOUTUBE_TOKEN_URL,
} from './settings.js';

export function youtubeBaseUrl(settings: Settings): string {
  return (settings.get(YOUTUBE_BASE_URL) ?? YOUTUBE_DEFAULT_BASE_URL).replace(/\/+$/, '');
}

/** A reply under a comment thread: `comments.insert` with `snippet.parentId` (https://developers.google.com/youtube/v3/docs/comments/insert). */
export function buildYoutubeRequest(command: ActionCommand, settings: Settings): OutboundRequest {
  const text = commandText(command);
  const parentId = metaString(command, 'commentId');
  if (!parentId)
    throw new PermanentActionError(`youtube reply needs the comment answered (meta.commentId); event ${command.event.id} has none`);
  return {
    method: 'POST',
    url: `${youtubeBaseUrl(settings)}/youtube/v3/comments?part=snippet`,
    headers: { authorization: `Bearer ${credential(settings, YOUTUBE_ACCESS_TOKEN)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ snippet: { parentId, textOriginal: text } }),
  };
}

interface GoogleError {
  error?: { code?: number; message?: string; errors?: Array<{ reason?: string }> };
}

/** Quota and rate errors (403 quotaExceeded / rateLimitExceeded, 429) wait; other refusals are permanent, in Google's words. */
export function interpretYoutubeResponse(response: OutboundResponse, now: Date): Delivered {
  let body: GoogleError & { id?: unknown } = {};
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    // The status line says enough.
  }
  if (response.status === 200) return typeof body.id === 'string' ? { externalId: body.id } : {};
  const reason = body.error?.errors?.[0]?.reason;
  const message = `youtube answered HTTP ${response.status}${reason ? ` (${reason})` : ''}: ${body.error?.message ?? response.body.slice(0, 300)}`;
  if (response.status === 429 || response.status >= 500 || reason === 'rateLimitExceeded' || reason === 'quotaExceeded')
    throw new TransientActionError(message, resetWaitMs(response, now) ?? (reason === 'quotaExceeded' ? 15 * 60_000 : undefined));
  if (response.status === 401) throw new TransientActionError(`${message}; the next attempt fetches a new access token`, 0);
  throw new PermanentActionError(message, { status: response.status });
}

/** Trades the refresh token for an access token (https://developers.google.com/identity/protocols/oauth2/web-server#offline). */
export function youtubeTokenRequest(settings: Settings): OutboundRequest {
  return {
    method: 'POST',
    url: settings.get(YOUTUBE_TOKEN_URL) ?? YOUTUBE_DEFAULT_TOKEN_URL,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: credential(settings, YOUTUBE_CLIENT_ID),
      client_secret: credential(settings, YOUTUBE_CLIENT_SECRET),
      refresh_token: credential(settings, YOUTUBE_REFRESH_TOKEN),
      grant_type: 'refresh_token',
    }).toString(),
  };
}

export function readYoutubeToken(response: OutboundResponse, now: Date): { value: string; expiresAt: number } {
  if (response.status === 429 || response.status >= 500)
    throw new TransientActionError(`google token endpoint answered HTTP ${response.status}`, resetWaitMs(response, now));
  let body: { access_token?: unknown; expires_in?: unknown; error?: unknown } = {};
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    // Reported below.
  }
  if (response.status !== 200 || typeof body.access_token !== 'string')
    throw new PermanentActionError(
      `google refused the YouTube refresh token: ${typeof body.error === 'string' ? body.error : `HTTP ${response.status}`}`,
    );
  const lifetime = typeof body.expires_in === 'number' ? body.expires_in : 3600;
  return { value: body.access_token, expiresAt: now.getTime() + lifetime * 1000 };
}

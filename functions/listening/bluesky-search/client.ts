import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import { resetWaitMs } from '../../platforms/shared/rate-limit-reset.js';
import { ListeningRateLimitError, ListeningReadError } from '../source.js';

export const PAGE_SIZE = 100;

/**
 * `app.bsky.feed.searchPosts`, newest first (`sort=latest`), from `since` (inclusive, the posts' sort time), one page
 * after `cursor` (https://docs.bsky.app/docs/api/app-bsky-feed-search-posts).
 */
export function searchRequest(
  baseUrl: string,
  accessJwt: string,
  search: { q: string; since: string; lang?: string; cursor?: string },
): OutboundRequest {
  const query = new URLSearchParams({ q: search.q, sort: 'latest', since: search.since, limit: String(PAGE_SIZE) });
  if (search.lang) query.set('lang', search.lang);
  if (search.cursor) query.set('cursor', search.cursor);
  return {
    method: 'GET',
    url: `${baseUrl}/xrpc/app.bsky.feed.searchPosts?${query.toString()}`,
    headers: { authorization: `Bearer ${accessJwt}`, accept: 'application/json' },
  };
}

export interface SearchPage {
  posts: unknown[];
  cursor?: string;
}

/** A page of results; 429 and 5xx wait for `ratelimit-reset`, a refused token is signalled so the session is renewed. */
export function interpretSearchResponse(response: OutboundResponse, now: Date): SearchPage {
  if (response.status === 429 || response.status >= 500)
    throw new ListeningRateLimitError(`bluesky searchPosts answered HTTP ${response.status}`, resetWaitMs(response, now));
  let body: { posts?: unknown; cursor?: unknown; error?: unknown; message?: unknown };
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    throw new ListeningReadError(`bluesky searchPosts answered HTTP ${response.status} with a body that is not JSON`);
  }
  if (response.status === 401 || body.error === 'ExpiredToken' || body.error === 'InvalidToken')
    throw new ExpiredSessionError(`bluesky refused the access token (${String(body.error ?? response.status)})`);
  if (response.status !== 200) {
    const reason =
      typeof body.error === 'string'
        ? `${body.error}${typeof body.message === 'string' ? `: ${body.message}` : ''}`
        : `HTTP ${response.status}`;
    throw new ListeningReadError(`bluesky searchPosts refused the search: ${reason}`);
  }
  if (!Array.isArray(body.posts)) throw new ListeningReadError('bluesky searchPosts answered without a posts list');
  return { posts: body.posts, ...(typeof body.cursor === 'string' && body.cursor !== '' ? { cursor: body.cursor } : {}) };
}

/** The session's token was refused: the source signs in again once, then reports the failure. */
export class ExpiredSessionError extends ListeningReadError {}

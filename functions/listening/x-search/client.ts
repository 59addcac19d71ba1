import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import { resetWaitMs } from '../../platforms/shared/rate-limit-reset.js';
import { ListeningRateLimitError, ListeningReadError } from '../source.js';

/** An app-only bearer token (the developer portal's "Bearer Token"): recent search reads with it. */
export const X_APP_BEARER_TOKEN = 'FOGHORN_X_APP_BEARER_TOKEN';
export const PAGE_SIZE = 100;

/**
 * `GET /2/tweets/search/recent` (https://docs.x.com/x-api/posts/search-recent-posts): after `since_id` once there is
 * one, else from `start_time`; the author expanded into `includes.users` for handle, name and followers.
 */
export function recentSearchRequest(
  baseUrl: string,
  token: string,
  search: { query: string; sinceId?: string; startTime?: string; nextToken?: string },
): OutboundRequest {
  const query = new URLSearchParams({
    query: search.query,
    max_results: String(PAGE_SIZE),
    'tweet.fields': 'created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,lang',
    expansions: 'author_id',
    'user.fields': 'username,name,verified,public_metrics',
  });
  if (search.sinceId) query.set('since_id', search.sinceId);
  else if (search.startTime) query.set('start_time', search.startTime);
  if (search.nextToken) query.set('next_token', search.nextToken);
  return { method: 'GET', url: `${baseUrl}/2/tweets/search/recent?${query.toString()}`, headers: { authorization: `Bearer ${token}` } };
}

export interface SearchAnswer {
  data?: unknown[];
  includes?: { users?: unknown[] };
  meta?: { newest_id?: string; oldest_id?: string; result_count?: number; next_token?: string };
}

/** 429 waits until `x-rate-limit-reset`; 5xx waits; any other error names X's own words. */
export function interpretRecentSearch(response: OutboundResponse, now: Date): SearchAnswer {
  if (response.status === 429 || response.status >= 500)
    throw new ListeningRateLimitError(`X recent search answered HTTP ${response.status}`, resetWaitMs(response, now));
  let body: SearchAnswer & { title?: string; detail?: string; errors?: Array<{ message?: string }> };
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    throw new ListeningReadError(`X recent search answered HTTP ${response.status} with a body that is not JSON`);
  }
  if (response.status !== 200)
    throw new ListeningReadError(
      `X recent search answered HTTP ${response.status}: ${body.detail ?? body.title ?? body.errors?.[0]?.message ?? 'no reason given'}`,
    );
  return body;
}

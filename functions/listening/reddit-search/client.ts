import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import { redditUserAgent } from '../../platforms/reddit/settings.js';
import { resetWaitMs } from '../../platforms/shared/rate-limit-reset.js';
import { ListeningRateLimitError, ListeningReadError } from '../source.js';

export const PAGE_SIZE = 100;

/**
 * Reddit search, newest first (https://www.reddit.com/dev/api/#GET_search): `/search` across Reddit, or
 * `/r/{subreddit}/search` with `restrict_sr=1`; posts only (`type=link`), one page after `after`.
 */
export function redditSearchRequest(
  baseUrl: string,
  token: string,
  username: string | undefined,
  search: { q: string; subreddit?: string; after?: string },
): OutboundRequest {
  const query = new URLSearchParams({ q: search.q, sort: 'new', type: 'link', limit: String(PAGE_SIZE), raw_json: '1' });
  if (search.subreddit) query.set('restrict_sr', '1');
  if (search.after) query.set('after', search.after);
  const path = search.subreddit ? `/r/${encodeURIComponent(search.subreddit)}/search` : '/search';
  return {
    method: 'GET',
    url: `${baseUrl}${path}?${query.toString()}`,
    headers: { authorization: `bearer ${token}`, 'user-agent': redditUserAgent(username) },
  };
}

/** Where the answer was asked, for messages: `r/iran` or `all of Reddit`. */
export function where(subreddit: string | undefined): string {
  return subreddit ? `r/${subreddit}` : 'all of Reddit';
}

/** A Listing's children and `after`; 429 waits for `x-ratelimit-reset` (seconds), 401 asks for a new token. */
export function interpretRedditSearch(
  response: OutboundResponse,
  subreddit: string | undefined,
  now: Date,
): { children: unknown[]; after?: string; expiredToken?: true } {
  if (response.status === 401) return { children: [], expiredToken: true };
  if (response.status === 429 || response.status >= 500)
    throw new ListeningRateLimitError(`reddit search in ${where(subreddit)} answered HTTP ${response.status}`, resetWaitMs(response, now));
  if (response.status !== 200)
    throw new ListeningReadError(`reddit search in ${where(subreddit)} answered HTTP ${response.status}: ${response.body.slice(0, 200)}`);
  let body: { kind?: unknown; data?: { children?: unknown; after?: unknown } };
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    throw new ListeningReadError(`reddit search in ${where(subreddit)} answered a body that is not JSON`);
  }
  if (body.kind !== 'Listing' || !Array.isArray(body.data?.children))
    throw new ListeningReadError(`reddit search in ${where(subreddit)} did not answer a Listing`);
  return { children: body.data.children, ...(typeof body.data.after === 'string' ? { after: body.data.after } : {}) };
}

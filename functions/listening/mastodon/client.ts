import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import { resetWaitMs } from '../../platforms/shared/rate-limit-reset.js';
import { ListeningRateLimitError, ListeningReadError } from '../source.js';

export const PAGE_SIZE = 40;

/** One stream of a mastodon source: the full-text search, or one hashtag's timeline. */
export type MastodonStream = { kind: 'search'; query: string } | { kind: 'tag'; tag: string };

export function streamKey(stream: MastodonStream): string {
  return stream.kind === 'search' ? 'search' : `tag:${stream.tag.toLowerCase()}`;
}

/**
 * `GET /api/v2/search?type=statuses` (https://docs.joinmastodon.org/methods/search/#v2) or
 * `GET /api/v1/timelines/tag/{tag}` (https://docs.joinmastodon.org/methods/timelines/#tag). Without a position the
 * newest page; after one, the page just newer than it (`min_id`), so a burst of posts is read in order without a gap.
 */
export function streamRequest(
  instance: string,
  token: string | undefined,
  stream: MastodonStream,
  minId: string | undefined,
): OutboundRequest {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (minId) query.set('min_id', minId);
  const url =
    stream.kind === 'search'
      ? `${instance}/api/v2/search?${new URLSearchParams({ q: stream.query, type: 'statuses', resolve: 'false' }).toString()}&${query.toString()}`
      : `${instance}/api/v1/timelines/tag/${encodeURIComponent(stream.tag)}?${query.toString()}`;
  return { method: 'GET', url, headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } };
}

function describe(stream: MastodonStream): string {
  return stream.kind === 'search' ? 'search' : `#${stream.tag}`;
}

/** The statuses of a page; 429 waits until X-RateLimit-Reset (an ISO time), 5xx waits, anything else fails naming the stream. */
export function interpretStream(response: OutboundResponse, instance: string, stream: MastodonStream, now: Date): unknown[] {
  if (response.status === 429 || response.status >= 500)
    throw new ListeningRateLimitError(
      `mastodon ${instance} ${describe(stream)} answered HTTP ${response.status}`,
      resetWaitMs(response, now),
    );
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    throw new ListeningReadError(`mastodon ${instance} ${describe(stream)} answered HTTP ${response.status} with a body that is not JSON`);
  }
  if (response.status !== 200) {
    const error = (body as { error?: unknown } | null)?.error;
    throw new ListeningReadError(
      `mastodon ${instance} ${describe(stream)} answered HTTP ${response.status}: ${typeof error === 'string' ? error : 'no reason given'}`,
    );
  }
  const statuses = stream.kind === 'search' ? (body as { statuses?: unknown } | null)?.statuses : body;
  if (!Array.isArray(statuses)) throw new ListeningReadError(`mastodon ${instance} ${describe(stream)} answered no list of statuses`);
  return statuses;
}

import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import { resetWaitMs } from '../../platforms/shared/rate-limit-reset.js';
import { ListeningRateLimitError, ListeningReadError } from '../source.js';

/** What the last fetch of one feed URL left for a conditional GET. */
export interface FeedValidators {
  etag?: string;
  lastModified?: string;
}

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.8, */*;q=0.5';
export const FEED_USER_AGENT = 'Foghorn/0.1 (feed listening; +https://github.com/foghorn)';

/** A conditional GET: the feed answers 304 when nothing changed since the validators it gave last time. */
export function feedRequest(url: string, validators: FeedValidators | undefined): OutboundRequest {
  return {
    method: 'GET',
    url,
    headers: {
      accept: ACCEPT,
      'user-agent': FEED_USER_AGENT,
      ...(validators?.etag ? { 'if-none-match': validators.etag } : {}),
      ...(validators?.lastModified ? { 'if-modified-since': validators.lastModified } : {}),
    },
  };
}

export type FeedFetch = { changed: false } | { changed: true; body: string; validators: FeedValidators };

/** 304 is "unchanged"; a 429 or 5xx waits for the reset header; any other non-200 fails the read, naming the URL. */
export function interpretFeedResponse(url: string, response: OutboundResponse, now: Date): FeedFetch {
  if (response.status === 304) return { changed: false };
  if (response.status === 429 || response.status >= 500)
    throw new ListeningRateLimitError(`feed ${url} answered HTTP ${response.status}`, resetWaitMs(response, now));
  if (response.status !== 200) throw new ListeningReadError(`feed ${url} answered HTTP ${response.status}`);
  const header = (name: string) => response.headers[Object.keys(response.headers).find((key) => key.toLowerCase() === name) ?? ''];
  const etag = header('etag');
  const lastModified = header('last-modified');
  return { changed: true, body: response.body, validators: { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) } };
}

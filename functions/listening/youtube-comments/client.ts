import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import { resetWaitMs } from '../../platforms/shared/rate-limit-reset.js';
import { ListeningRateLimitError, ListeningReadError } from '../source.js';

export const PAGE_SIZE = 100;

/** What one stream of a source reads: the threads of a whole channel, or of one video. */
export type YoutubeStream = { kind: 'channel'; id: string } | { kind: 'video'; id: string };

export function streamKey(stream: YoutubeStream): string {
  return `${stream.kind}:${stream.id}`;
}

/**
 * `commentThreads.list`, newest first (https://developers.google.com/youtube/v3/docs/commentThreads/list): by
 * `allThreadsRelatedToChannelId` or `videoId`. The API key travels in the X-Goog-Api-Key header, never in the URL.
 */
export function commentThreadsRequest(
  baseUrl: string,
  apiKey: string,
  stream: YoutubeStream,
  pageToken: string | undefined,
): OutboundRequest {
  const query = new URLSearchParams({ part: 'snippet', order: 'time', maxResults: String(PAGE_SIZE), textFormat: 'plainText' });
  query.set(stream.kind === 'channel' ? 'allThreadsRelatedToChannelId' : 'videoId', stream.id);
  if (pageToken) query.set('pageToken', pageToken);
  return {
    method: 'GET',
    url: `${baseUrl}/youtube/v3/commentThreads?${query.toString()}`,
    headers: { 'x-goog-api-key': apiKey, accept: 'application/json' },
  };
}

/** A page of threads; quota and rate errors (403 quotaExceeded, 429) wait, others fail with Google's reason. */
export function interpretCommentThreads(
  response: OutboundResponse,
  stream: YoutubeStream,
  now: Date,
): { items: unknown[]; nextPageToken?: string } {
  let body: { items?: unknown; nextPageToken?: unknown; error?: { message?: string; errors?: Array<{ reason?: string }> } } = {};
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    if (response.status === 200)
      throw new ListeningReadError(`youtube commentThreads for ${streamKey(stream)} answered a body that is not JSON`);
  }
  const reason = body.error?.errors?.[0]?.reason;
  const message = `youtube commentThreads for ${streamKey(stream)} answered HTTP ${response.status}${reason ? ` (${reason})` : ''}${body.error?.message ? `: ${body.error.message}` : ''}`;
  // The daily quota resets at midnight Pacific time; a quarter of an hour between tries keeps the reports readable.
  if (reason === 'quotaExceeded') throw new ListeningRateLimitError(message, resetWaitMs(response, now) ?? 15 * 60_000);
  if (response.status === 429 || response.status >= 500 || reason === 'rateLimitExceeded')
    throw new ListeningRateLimitError(message, resetWaitMs(response, now));
  if (response.status !== 200) throw new ListeningReadError(message);
  if (!Array.isArray(body.items)) throw new ListeningReadError(`youtube commentThreads for ${streamKey(stream)} answered no items`);
  return { items: body.items, ...(typeof body.nextPageToken === 'string' ? { nextPageToken: body.nextPageToken } : {}) };
}

import { YOUTUBE_API_KEY, YOUTUBE_BASE_URL, YOUTUBE_DEFAULT_BASE_URL } from '../../platforms/youtube/settings.js';
import { sourceBaseUrl } from '../base-url.js';
import type { ListenSourceConfig } from '../config.js';
import { PolledItems } from '../polled-items.js';
import { type ListeningPoll, type ListeningSource, listenCursorKey } from '../source.js';
import { commentThreadsRequest, interpretCommentThreads, streamKey, type YoutubeStream } from './client.js';
import { commentThreadSchema, commentThreadToEvent } from './normalise.js';

/** Per stream: the newest comment time seen, and the threads seen at that very time. */
type YoutubeCursor = Record<string, { since: string; atSince: string[] }>;

/** Each page costs a quota unit of 10,000 a day: five pages a stream a poll at most. */
const MAX_PAGES = 5;

/**
 * `type: youtube-comments`: `commentThreads.list` newest first for each channel (every thread under its videos) and
 * each video, with an API key, down to the newest comment the last poll saw; the first poll goes back `since`.
 */
export function youtubeCommentsSource(config: ListenSourceConfig): ListeningSource {
  const streams: YoutubeStream[] = [
    ...(config.channels ?? []).map((id) => ({ kind: 'channel' as const, id })),
    ...(config.videos ?? []).map((id) => ({ kind: 'video' as const, id })),
  ];
  return {
    config,
    platform: listenCursorKey(config.id),
    settingsRequired: [YOUTUBE_API_KEY],
    async poll(cursor, { settings, now, send }): Promise<ListeningPoll> {
      const baseUrl = sourceBaseUrl(config, settings, YOUTUBE_BASE_URL, YOUTUBE_DEFAULT_BASE_URL);
      const apiKey = settings.get(YOUTUBE_API_KEY) ?? '';
      const previous = parseCursor(cursor);
      const next: YoutubeCursor = { ...previous };
      const items = new PolledItems();
      for (const stream of streams) {
        const key = streamKey(stream);
        const since = previous[key] ?? { since: new Date(now.getTime() - config.sinceMs).toISOString(), atSince: [] };
        const seen = new Set(since.atSince);
        let newest = since.since;
        let newestIds = new Set(since.atSince);
        let pageToken: string | undefined;
        for (let page = 0; page < MAX_PAGES; page++) {
          const answer = interpretCommentThreads(await send(commentThreadsRequest(baseUrl, apiKey, stream, pageToken)), stream, now);
          let reached = false;
          for (const item of answer.items) {
            const thread = commentThreadSchema.safeParse(item).data;
            const at = thread ? new Date(thread.snippet.topLevelComment.snippet.publishedAt).getTime() : Number.NaN;
            if (thread && at < Date.parse(since.since)) {
              reached = true;
              break;
            }
            if (thread && at === Date.parse(since.since) && seen.has(thread.id)) continue;
            if (thread && at > Date.parse(newest)) {
              newest = new Date(at).toISOString();
              newestIds = new Set();
            }
            if (thread && at === Date.parse(newest)) newestIds.add(thread.id);
            items.add(item, () => commentThreadToEvent(item, config, now));
          }
          pageToken = answer.nextPageToken;
          if (reached || !pageToken) break;
        }
        next[key] = { since: newest, atSince: [...newestIds] };
      }
      return items.result(JSON.stringify(next));
    },
  };
}

function parseCursor(cursor: string | undefined): YoutubeCursor {
  if (!cursor) return {};
  try {
    const parsed = JSON.parse(cursor) as YoutubeCursor;
    return Object.fromEntries(
      Object.entries(parsed).filter(([, position]) => typeof position?.since === 'string' && Array.isArray(position.atSince)),
    );
  } catch {
    // An unreadable cursor starts over like a first poll, bounded by `since`.
    return {};
  }
}

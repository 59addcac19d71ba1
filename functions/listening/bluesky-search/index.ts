import { TransientActionError } from '../../core/errors.js';
import { type BlueskySessionCache, sharedBlueskySessions } from '../../platforms/bluesky/session.js';
import { BLUESKY_APP_PASSWORD, BLUESKY_BASE_URL, BLUESKY_DEFAULT_BASE_URL, BLUESKY_HANDLE } from '../../platforms/bluesky/settings.js';
import { sourceBaseUrl } from '../base-url.js';
import type { ListenSourceConfig } from '../config.js';
import { PolledItems } from '../polled-items.js';
import { type ListeningPoll, ListeningRateLimitError, type ListeningSource, listenCursorKey } from '../source.js';
import { ExpiredSessionError, interpretSearchResponse, searchRequest } from './client.js';
import { postToEvent, postViewSchema } from './normalise.js';

/** Where the last poll stopped: the newest sort time seen, and the posts seen at that very time (`since` is inclusive). */
interface SearchCursor {
  since: string;
  atSince: string[];
}

/** Enough for 500 new posts between two polls; older ones are left rather than spending the quota. */
const MAX_PAGES = 5;

/**
 * `type: bluesky-search`: `app.bsky.feed.searchPosts` over an app-password session, newest first, down to where the
 * last poll stopped (the first poll goes back `since`). Each post is a `mention` a rule can answer in its thread.
 */
export function blueskySearchSource(config: ListenSourceConfig, sessions: BlueskySessionCache = sharedBlueskySessions): ListeningSource {
  return {
    config,
    platform: listenCursorKey(config.id),
    settingsRequired: [BLUESKY_HANDLE, BLUESKY_APP_PASSWORD],
    async poll(cursor, { settings, now, send }): Promise<ListeningPoll> {
      const baseUrl = sourceBaseUrl(config, settings, BLUESKY_BASE_URL, BLUESKY_DEFAULT_BASE_URL);
      const previous = parseCursor(cursor) ?? { since: new Date(now.getTime() - config.sinceMs).toISOString(), atSince: [] };
      const read = async (page?: string) => {
        const session = await sessions.get(settings, now, send, baseUrl).catch((error: unknown) => {
          throw error instanceof TransientActionError ? new ListeningRateLimitError(error.message, error.retryAfterMs) : error;
        });
        const request = searchRequest(baseUrl, session.accessJwt, {
          q: config.query ?? '',
          since: previous.since,
          ...(config.lang ? { lang: config.lang } : {}),
          ...(page ? { cursor: page } : {}),
        });
        return { page: interpretSearchResponse(await send(request), now), session };
      };
      const items = new PolledItems();
      const seenAtSince = new Set(previous.atSince);
      let newest = previous.since;
      let newestIds = new Set(previous.atSince);
      let page: string | undefined;
      for (let count = 0; count < MAX_PAGES; count++) {
        let answer: Awaited<ReturnType<typeof read>>;
        try {
          answer = await read(page);
        } catch (error) {
          if (!(error instanceof ExpiredSessionError)) throw error;
          sessions.clear();
          answer = await read(page);
        }
        let reachedCursor = false;
        for (const item of answer.page.posts) {
          const position = postViewSchema.safeParse(item).data;
          if (position && position.indexedAt < previous.since) {
            reachedCursor = true;
            continue;
          }
          if (position && position.indexedAt === previous.since && seenAtSince.has(position.uri)) continue;
          if (position && position.indexedAt > newest) {
            newest = position.indexedAt;
            newestIds = new Set();
          }
          if (position && position.indexedAt === newest) newestIds.add(position.uri);
          items.add(item, (post) => postToEvent(post, config, [answer.session.did, answer.session.handle], now));
        }
        page = answer.page.cursor;
        if (reachedCursor || !page) break;
      }
      const next: SearchCursor = { since: newest, atSince: [...newestIds] };
      return items.result(JSON.stringify(next));
    },
  };
}

function parseCursor(cursor: string | undefined): SearchCursor | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = JSON.parse(cursor) as SearchCursor;
    if (typeof parsed.since === 'string' && Array.isArray(parsed.atSince)) return parsed;
  } catch {
    // An unreadable cursor starts over like a first poll, bounded by `since`.
  }
  return undefined;
}

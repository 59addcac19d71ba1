import { DEFAULT_X_API_URL, X_API_URL } from '../../platforms/x/client.js';
import { X_USER_ID } from '../../platforms/x/normalise.js';
import { sourceBaseUrl } from '../base-url.js';
import type { ListenSourceConfig } from '../config.js';
import { PolledItems } from '../polled-items.js';
import { type ListeningPoll, type ListeningSource, listenCursorKey } from '../source.js';
import { interpretRecentSearch, recentSearchRequest, X_APP_BEARER_TOKEN } from './client.js';
import { tweetToEvent, userSchema, type XUser } from './normalise.js';

/** Recent search reaches back seven days; a `since` beyond it is cut to what the API keeps. */
const RECENT_WINDOW_MS = 7 * 24 * 60 * 60_000 - 60_000;
/** Enough for 500 new posts between two polls: each page counts against the project's monthly post cap. */
const MAX_PAGES = 5;

/**
 * `type: x-search`: X API v2 recent search with the source's query, newest first, everything after the newest post
 * the last poll saw (`since_id`); the first poll starts `since` ago. Replies go through the X connector (meta.tweetId).
 */
export function xSearchSource(config: ListenSourceConfig): ListeningSource {
  return {
    config,
    platform: listenCursorKey(config.id),
    settingsRequired: [X_APP_BEARER_TOKEN],
    async poll(cursor, { settings, now, send }): Promise<ListeningPoll> {
      const baseUrl = sourceBaseUrl(config, settings, X_API_URL, DEFAULT_X_API_URL);
      const sinceId = parseCursor(cursor);
      const startTime = new Date(now.getTime() - Math.min(config.sinceMs, RECENT_WINDOW_MS)).toISOString();
      const token = settings.get(X_APP_BEARER_TOKEN) ?? '';
      const selfId = settings.get(X_USER_ID);
      const items = new PolledItems();
      let newest = sinceId;
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const request = recentSearchRequest(baseUrl, token, {
          query: config.query ?? '',
          ...(sinceId ? { sinceId } : { startTime }),
          ...(nextToken ? { nextToken } : {}),
        });
        const answer = interpretRecentSearch(await send(request), now);
        const users = new Map<string, XUser>();
        for (const user of answer.includes?.users ?? []) {
          const parsed = userSchema.safeParse(user);
          if (parsed.success) users.set(parsed.data.id, parsed.data);
        }
        if (page === 0 && answer.meta?.newest_id) newest = answer.meta.newest_id;
        for (const item of answer.data ?? []) {
          items.add(item, () => tweetToEvent(item, users, config, selfId, now));
        }
        nextToken = answer.meta?.next_token;
        if (!nextToken) break;
      }
      return items.result(newest);
    },
  };
}

/** The cursor is the newest post id seen; anything else starts over like a first poll. */
function parseCursor(cursor: string | undefined): string | undefined {
  return cursor && /^\d+$/.test(cursor) ? cursor : undefined;
}

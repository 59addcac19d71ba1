import { NormaliseError } from '../../core/errors.js';
import type { CanonicalEvent } from '../../core/event.js';
import { DEFAULT_X_API_URL, X_API_URL } from '../../platforms/x/client.js';
import { X_USER_ID } from '../../platforms/x/normalise.js';
import { sourceBaseUrl } from '../base-url.js';
import type { ListenSourceConfig } from '../config.js';
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
      const events = new Map<string, CanonicalEvent>();
      const raw = new Map<string, Buffer>();
      const rejected: { reason: string; detail?: unknown; raw: Buffer }[] = [];
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
          const payload = Buffer.from(JSON.stringify(item));
          try {
            const event = tweetToEvent(item, users, config, selfId, now);
            if (events.has(event.id)) continue;
            events.set(event.id, event);
            raw.set(event.id, payload);
          } catch (error) {
            // One unreadable post must not stop the source: it is quarantined and the cursor moves on.
            if (!(error instanceof NormaliseError)) throw error;
            rejected.push({ reason: error.message, detail: error.detail, raw: payload });
          }
        }
        nextToken = answer.meta?.next_token;
        if (!nextToken) break;
      }
      const ordered = [...events.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      return { events: ordered, cursor: newest, raw, ...(rejected.length > 0 ? { rejected } : {}) };
    },
  };
}

/** The cursor is the newest post id seen; anything else starts over like a first poll. */
function parseCursor(cursor: string | undefined): string | undefined {
  return cursor && /^\d+$/.test(cursor) ? cursor : undefined;
}

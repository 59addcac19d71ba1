import { TransientActionError } from '../../core/errors.js';
import { type RedditTokenCache, sharedTokenCache } from '../../platforms/reddit/oauth.js';
import {
  REDDIT_API_URL,
  REDDIT_CLIENT_ID,
  REDDIT_CLIENT_SECRET,
  REDDIT_DEFAULT_API_URL,
  REDDIT_REFRESH_TOKEN,
  REDDIT_USERNAME,
} from '../../platforms/reddit/settings.js';
import { sourceBaseUrl } from '../base-url.js';
import type { ListenSourceConfig } from '../config.js';
import { PolledItems } from '../polled-items.js';
import { type ListeningPoll, ListeningRateLimitError, ListeningReadError, type ListeningSource, listenCursorKey } from '../source.js';
import { interpretRedditSearch, redditSearchRequest, where } from './client.js';
import { redditPostSchema, redditPostToEvent } from './normalise.js';

/** Where one search stopped: the newest post seen (its fullname) and its time. */
interface SearchPosition {
  name: string;
  created: number;
}

/** One position per subreddit searched (`*` for all of Reddit). */
type RedditSearchCursor = Record<string, SearchPosition>;

const ALL = '*';
/** Enough for 500 new posts per subreddit between two polls. */
const MAX_PAGES = 5;

/**
 * `type: reddit-search`: Reddit search sorted by new, once per listed subreddit (`restrict_sr`) or across Reddit,
 * over the Reddit OAuth client the inbox poller uses. Newest first down to where the last poll stopped; the first
 * poll goes back `since`. Each post is a `mention` a rule can answer with a comment.
 */
export function redditSearchSource(config: ListenSourceConfig, tokens: RedditTokenCache = sharedTokenCache): ListeningSource {
  const scopes: Array<string | undefined> = config.subreddits?.length ? config.subreddits : [undefined];
  return {
    config,
    platform: listenCursorKey(config.id),
    settingsRequired: [REDDIT_CLIENT_ID, REDDIT_CLIENT_SECRET, REDDIT_REFRESH_TOKEN, REDDIT_USERNAME],
    async poll(cursor, { settings, now, send }): Promise<ListeningPoll> {
      const baseUrl = sourceBaseUrl(config, settings, REDDIT_API_URL, REDDIT_DEFAULT_API_URL);
      const username = settings.get(REDDIT_USERNAME);
      const previous = parseCursor(cursor);
      const token = async () =>
        tokens.get(settings, now, send).catch((error: unknown) => {
          throw error instanceof TransientActionError ? new ListeningRateLimitError(error.message, error.retryAfterMs) : error;
        });
      const items = new PolledItems();
      const next: RedditSearchCursor = {};
      const oldest = (now.getTime() - config.sinceMs) / 1000;
      for (const subreddit of scopes) {
        const key = subreddit ?? ALL;
        const since = previous[key];
        let newest: SearchPosition | undefined;
        let after: string | undefined;
        for (let page = 0; page < MAX_PAGES; page++) {
          const read = async () =>
            interpretRedditSearch(
              await send(
                redditSearchRequest(baseUrl, await token(), username, { q: config.query ?? '', subreddit, ...(after ? { after } : {}) }),
              ),
              subreddit,
              now,
            );
          let answer = await read();
          if (answer.expiredToken) {
            tokens.clear();
            answer = await read();
            if (answer.expiredToken)
              throw new ListeningReadError(`reddit refused a fresh access token searching ${where(subreddit)} (HTTP 401)`);
          }
          let reached = false;
          for (const child of answer.children) {
            const position = redditPostSchema.safeParse(child).data?.data;
            if (position && page === 0 && newest === undefined) newest = { name: position.name, created: position.created_utc };
            if (position && (position.name === since?.name || position.created_utc < (since?.created ?? oldest))) {
              reached = true;
              break;
            }
            items.add(child, () => redditPostToEvent(child, config, username, now));
          }
          after = answer.after;
          if (reached || !after) break;
        }
        const position = newest ?? since;
        if (position) next[key] = position;
      }
      return items.result(JSON.stringify(next));
    },
  };
}

function parseCursor(cursor: string | undefined): RedditSearchCursor {
  if (!cursor) return {};
  try {
    const parsed = JSON.parse(cursor) as RedditSearchCursor;
    const valid: RedditSearchCursor = {};
    for (const [key, position] of Object.entries(parsed)) {
      if (position && typeof position.name === 'string' && typeof position.created === 'number') valid[key] = position;
    }
    return valid;
  } catch {
    // An unreadable cursor starts over like a first poll, bounded by `since`.
    return {};
  }
}

import type { Poller, PollResult } from '../../core/connector.js';
import { FoghornError, NormaliseError, TransientActionError } from '../../core/errors.js';
import type { CanonicalEvent } from '../../core/event.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import type { Settings } from '../../core/settings.js';
import { type RedditListing, type RedditSource, redditListingSchema, redditThingSchema, redditThingToEvent } from './normalise.js';
import { type RedditTokenCache, type Send, sharedTokenCache } from './oauth.js';
import { rateLimitResetMs } from './rate-limit.js';
import {
  REDDIT,
  REDDIT_API_URL,
  REDDIT_CLIENT_ID,
  REDDIT_CLIENT_SECRET,
  REDDIT_DEFAULT_API_URL,
  REDDIT_REFRESH_TOKEN,
  REDDIT_USERNAME,
  redditUserAgent,
} from './settings.js';

/** Where a listing stopped: the newest item seen (its fullname) and its time, for items that arrive in the same second. */
interface ListingCursor {
  name: string;
  created: number;
}

/** The poller's cursor, stored as JSON: one position per listing. */
type RedditCursor = Partial<Record<RedditSource, ListingCursor>>;

const SOURCES: readonly RedditSource[] = ['inbox', 'mentions'];
const PAGE_SIZE = 100;
/** Enough for 500 new items per listing between two polls; older ones are left rather than hammering the API. */
const MAX_PAGES = 5;

/** A listing or token answer Reddit refused for now (429, 5xx, an expired token): the next poll tries again. */
export class RedditPollError extends FoghornError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs?: number) {
    super(message, { status: 503 });
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * Reads the connected account's inbox (comment and post replies, private messages) and username mentions
 * through the OAuth API, newest first, down to where the last poll stopped. The very first poll (no cursor)
 * takes only unread items, so switching Foghorn on does not answer the account's whole history.
 */
export function createRedditPoller(tokens: RedditTokenCache = sharedTokenCache): Poller {
  return {
    platform: REDDIT,
    settingsRequired: [REDDIT_CLIENT_ID, REDDIT_CLIENT_SECRET, REDDIT_REFRESH_TOKEN, REDDIT_USERNAME],
    async poll(cursor, { settings, now, send }): Promise<PollResult> {
      const previous = parseCursor(cursor);
      const token = await tokens.get(settings, now, send).catch((error: unknown) => {
        throw error instanceof TransientActionError ? new RedditPollError(error.message, error.retryAfterMs) : error;
      });
      const username = settings.get(REDDIT_USERNAME);
      const events = new Map<string, CanonicalEvent>();
      const raw = new Map<string, Buffer>();
      const rejected: { reason: string; detail?: unknown; raw: Buffer }[] = [];
      const next: RedditCursor = {};
      for (const source of SOURCES) {
        const read = await readSince(source, previous[source], { settings, send, token, tokens });
        for (const item of read.items) {
          const payload = Buffer.from(JSON.stringify(item));
          let event: CanonicalEvent;
          try {
            event = redditThingToEvent(item, source, username, now);
          } catch (error) {
            // One unreadable item must not stop the account's polling: it is quarantined and the cursor moves on.
            if (!(error instanceof NormaliseError)) throw error;
            rejected.push({ reason: error.message, detail: error.detail, raw: payload });
            continue;
          }
          if (events.has(event.id)) continue;
          events.set(event.id, event);
          raw.set(event.id, payload);
        }
        const position = read.newest ?? previous[source];
        if (position) next[source] = position;
      }
      // Oldest first, so the pipeline sees a conversation in the order it happened.
      const ordered = [...events.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      return { events: ordered, cursor: JSON.stringify(next), raw, ...(rejected.length > 0 ? { rejected } : {}) };
    },
  };
}

export const redditPoller = createRedditPoller();

interface ReadOptions {
  settings: Settings;
  send: Send;
  token: string;
  tokens: RedditTokenCache;
}

async function readSince(
  source: RedditSource,
  since: ListingCursor | undefined,
  options: ReadOptions,
): Promise<{ items: unknown[]; newest?: ListingCursor }> {
  const items: unknown[] = [];
  let newest: ListingCursor | undefined;
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const listing = readListing(await options.send(listingRequest(source, after, options)), source, options.tokens);
    const children = listing.data?.children ?? [];
    let reachedCursor = false;
    for (const child of children) {
      // Position and time are read leniently; the item itself is judged (and maybe quarantined) by the caller.
      const data = redditThingSchema.safeParse(child).data?.data;
      if (page === 0 && newest === undefined && data?.name && data.created_utc !== undefined)
        newest = { name: data.name, created: data.created_utc };
      if (since && (data?.name === since.name || (data?.created_utc ?? 0) < since.created)) {
        reachedCursor = true;
        break;
      }
      if (since || data?.new === true) items.push(child);
    }
    after = listing.data?.after ?? undefined;
    // Without a cursor only the newest page is read: its unread items are the backlog worth answering.
    if (reachedCursor || !after || !since) break;
  }
  return newest ? { items, newest } : { items };
}

function listingRequest(source: RedditSource, after: string | undefined, options: ReadOptions): OutboundRequest {
  const base = (options.settings.get(REDDIT_API_URL) ?? REDDIT_DEFAULT_API_URL).replace(/\/+$/, '');
  // mark=false: Foghorn reading the inbox must not mark it read for the people who also watch it.
  const query = new URLSearchParams({ limit: String(PAGE_SIZE), raw_json: '1', mark: 'false', ...(after ? { after } : {}) });
  return {
    method: 'GET',
    url: `${base}/message/${source}?${query.toString()}`,
    headers: { authorization: `bearer ${options.token}`, 'user-agent': redditUserAgent(options.settings.get(REDDIT_USERNAME)) },
  };
}

function readListing(response: OutboundResponse, source: RedditSource, tokens: RedditTokenCache): RedditListing {
  if (response.status === 401) {
    tokens.clear();
    throw new RedditPollError(`reddit refused the access token reading /message/${source} (HTTP 401); the next poll fetches a new one`);
  }
  if (response.status === 429 || response.status >= 500) {
    throw new RedditPollError(`reddit answered HTTP ${response.status} reading /message/${source}`, rateLimitResetMs(response));
  }
  if (response.status !== 200)
    throw new FoghornError(`reddit answered HTTP ${response.status} reading /message/${source}: ${response.body.slice(0, 200)}`, {
      status: 502,
    });
  try {
    const listing = redditListingSchema.parse(JSON.parse(response.body));
    if (listing.kind !== 'Listing') throw new Error(`kind is ${String(listing.kind)}`);
    return listing;
  } catch (error) {
    throw new FoghornError(`reddit /message/${source} did not answer a Listing: ${(error as Error).message}`, { status: 502 });
  }
}

function parseCursor(cursor: string | undefined): RedditCursor {
  if (!cursor) return {};
  try {
    const parsed = JSON.parse(cursor) as RedditCursor;
    const valid: RedditCursor = {};
    for (const source of SOURCES) {
      const position = parsed[source];
      if (position && typeof position.name === 'string' && typeof position.created === 'number') valid[source] = position;
    }
    return valid;
  } catch {
    // An unreadable cursor starts over like a first poll (unread items only) rather than stopping polling.
    return {};
  }
}

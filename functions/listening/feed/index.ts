import type { ListenSourceConfig } from '../config.js';
import { PolledItems } from '../polled-items.js';
import { type ListeningPoll, ListeningRateLimitError, type ListeningSource, listenCursorKey } from '../source.js';
import { type FeedValidators, feedRequest, interpretFeedResponse } from './client.js';
import { feedEntryToEvent, parseFeedDocument } from './normalise.js';

/** Per feed URL: the validators for the next conditional GET, and the keys of the entries its last document held. */
interface FeedPosition extends FeedValidators {
  seen: string[];
}

type FeedCursor = Record<string, FeedPosition>;

/** A feed keeps its recent entries; more keys than this are not worth remembering (the store deduplicates anyway). */
const MAX_SEEN = 500;

/**
 * `type: feed`: RSS 2.0, RSS 1.0, Atom and JSON Feed documents, each URL read with a conditional GET. An entry is
 * new when its key (canonical link, else guid) was not in the URL's last document; on a URL's first read only
 * entries dated within `since` are taken (undated ones are remembered, not sent), so adding a feed does not
 * replay its archive. One URL failing does not hold back the others: their entries go through and the failure is
 * reported for the source.
 */
export function feedSource(config: ListenSourceConfig): ListeningSource {
  const urls = config.urls ?? [];
  return {
    config,
    platform: listenCursorKey(config.id),
    settingsRequired: [],
    async poll(cursor, { now, send }): Promise<ListeningPoll & { problems?: string[]; retryAfterMs?: number }> {
      const previous = parseCursor(cursor);
      const next: FeedCursor = {};
      const items = new PolledItems();
      const problems: string[] = [];
      let retryAfterMs: number | undefined;
      for (const url of urls) {
        const position = previous[url];
        let fetched: ReturnType<typeof interpretFeedResponse>;
        try {
          fetched = interpretFeedResponse(url, await send(feedRequest(url, position)), now);
        } catch (error) {
          if (position) next[url] = position;
          problems.push(error instanceof Error ? error.message : String(error));
          if (error instanceof ListeningRateLimitError && error.retryAfterMs !== undefined)
            retryAfterMs = Math.max(retryAfterMs ?? 0, error.retryAfterMs);
          continue;
        }
        if (!fetched.changed) {
          if (position) next[url] = position;
          continue;
        }
        let parsed: ReturnType<typeof parseFeedDocument>;
        try {
          parsed = parseFeedDocument(fetched.body);
        } catch (error) {
          // The document is kept for a person to look at; the URL's position stays, so a fixed feed is read again.
          items.reject(`feed ${url} is not RSS, Atom or JSON Feed: ${(error as Error).message}`, Buffer.from(fetched.body));
          if (position) next[url] = position;
          continue;
        }
        const seen = new Set(position?.seen ?? []);
        const oldest = now.getTime() - config.sinceMs;
        for (const entry of parsed.entries) {
          if (seen.has(entry.key)) continue;
          if (!position && (entry.published === undefined || entry.published < oldest)) continue;
          const feed = { url, ...(parsed.title ? { title: parsed.title } : {}) };
          items.add(entry, () => feedEntryToEvent(entry, feed, config, now), Buffer.from(JSON.stringify({ feed: url, entry })));
        }
        next[url] = { ...fetched.validators, seen: parsed.entries.map((entry) => entry.key).slice(0, MAX_SEEN) };
      }
      return items.result(JSON.stringify(next), { problems, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
    },
  };
}

function parseCursor(cursor: string | undefined): FeedCursor {
  if (!cursor) return {};
  try {
    const parsed = JSON.parse(cursor) as FeedCursor;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : {};
  } catch {
    // An unreadable cursor starts over like a first read, bounded by `since`.
    return {};
  }
}

import { MASTODON_ACCESS_TOKEN, MASTODON_BASE_URL } from '../../platforms/mastodon/settings.js';
import { baseUrlSetting } from '../base-url.js';
import type { ListenSourceConfig } from '../config.js';
import { PolledItems } from '../polled-items.js';
import { type ListeningPoll, type ListeningSource, listenCursorKey } from '../source.js';
import { interpretStream, type MastodonStream, PAGE_SIZE, streamKey, streamRequest } from './client.js';
import { newerId, statusSchema, statusToEvent } from './normalise.js';

/** The newest status id seen per stream (`search`, `tag:<name>`). */
type MastodonCursor = Record<string, string>;

/** Enough for 200 new statuses per stream between two polls. */
const MAX_PAGES = 5;

/**
 * `type: mastodon`: one instance's full-text search (`query:`, needs the access token) and hashtag timelines
 * (`hashtags:`, public), each from the newest status the last poll saw; the first poll takes what is newer than
 * `since`. Reblogs are skipped: the reblogged status is what was said.
 */
export function mastodonSource(config: ListenSourceConfig): ListeningSource {
  const streams: MastodonStream[] = [
    ...(config.query ? [{ kind: 'search' as const, query: config.query }] : []),
    ...(config.hashtags ?? []).map((tag) => ({ kind: 'tag' as const, tag })),
  ];
  return {
    config,
    platform: listenCursorKey(config.id),
    settingsRequired: config.query ? [MASTODON_ACCESS_TOKEN] : [],
    async poll(cursor, { settings, now, send }): Promise<ListeningPoll> {
      const instance = (
        config.baseUrl ??
        settings.get(baseUrlSetting(config.type)) ??
        settings.get(MASTODON_BASE_URL) ??
        config.instance ??
        ''
      ).replace(/\/+$/, '');
      const token = settings.get(MASTODON_ACCESS_TOKEN);
      const previous = parseCursor(cursor);
      const next: MastodonCursor = { ...previous };
      const items = new PolledItems();
      const oldest = now.getTime() - config.sinceMs;
      for (const stream of streams) {
        const key = streamKey(stream);
        let position = previous[key];
        for (let page = 0; page < MAX_PAGES; page++) {
          const statuses = interpretStream(await send(streamRequest(instance, token, stream, position)), instance, stream, now);
          const first = position === undefined;
          for (const item of statuses) {
            const status = statusSchema.safeParse(item).data;
            if (status && (!next[key] || newerId(status.id, next[key]))) next[key] = status.id;
            if (status?.reblog) continue;
            if (first && status && Date.parse(status.created_at) < oldest) continue;
            items.add(item, () => statusToEvent(item, config.instance ?? instance, config, now));
          }
          // Without a position only the newest page is read; after one, pages go forward until one is not full.
          if (first || statuses.length < PAGE_SIZE || next[key] === position) break;
          position = next[key];
        }
      }
      return items.result(JSON.stringify(next));
    },
  };
}

function parseCursor(cursor: string | undefined): MastodonCursor {
  if (!cursor) return {};
  try {
    const parsed = JSON.parse(cursor) as MastodonCursor;
    return Object.fromEntries(Object.entries(parsed).filter(([, id]) => typeof id === 'string' && /^\d+$/.test(id)));
  } catch {
    // An unreadable cursor starts over like a first poll, bounded by `since`.
    return {};
  }
}

import { NormaliseError } from '../../core/errors.js';
import type { CanonicalEvent } from '../../core/event.js';
import { MASTODON_ACCESS_TOKEN, MASTODON_BASE_URL } from '../../platforms/mastodon/settings.js';
import { baseUrlSetting } from '../base-url.js';
import type { ListenSourceConfig } from '../config.js';
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
      const events = new Map<string, CanonicalEvent>();
      const raw = new Map<string, Buffer>();
      const rejected: { reason: string; detail?: unknown; raw: Buffer }[] = [];
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
            const payload = Buffer.from(JSON.stringify(item));
            try {
              const event = statusToEvent(item, config.instance ?? instance, config, now);
              if (!events.has(event.id)) {
                events.set(event.id, event);
                raw.set(event.id, payload);
              }
            } catch (error) {
              // One unreadable status must not stop the source: it is quarantined and the cursor moves on.
              if (!(error instanceof NormaliseError)) throw error;
              rejected.push({ reason: error.message, detail: error.detail, raw: payload });
            }
          }
          // Without a position only the newest page is read; after one, pages go forward until one is not full.
          if (first || statuses.length < PAGE_SIZE || next[key] === position) break;
          position = next[key];
        }
      }
      const ordered = [...events.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      return { events: ordered, cursor: JSON.stringify(next), raw, ...(rejected.length > 0 ? { rejected } : {}) };
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

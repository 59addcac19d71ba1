import { resolve } from 'node:path';
import { type ArchiveQuery, readArchivedEvents } from '../functions/app/event-archive.js';
import { type CanonicalEvent, canonicalEventSchema } from '../functions/core/event.js';
import { apiCredentialFor, callRuntime, RuntimeApiError, runtimeUrl } from './commands/runtime-api.js';
import type { CliIo } from './io.js';

export type { ArchiveQuery } from '../functions/app/event-archive.js';

/** Where the stored events are read: a data folder's embedded store (`--data`), else the running Foghorn's API. */
export interface ArchiveSource {
  data?: string;
  url?: string;
}

/** Events a page of `GET /api/events` asks for: the API allows up to 10,000; this keeps each answer small. */
const PAGE = 1_000;

/**
 * The stored events in the window, oldest first, each canonical: from `--data DIR` (the embedded store, while no
 * runtime holds it) or from the running Foghorn's `GET /api/events`, paged with its `next` cursor. `onProgress`
 * hears the count read so far.
 */
export async function readArchive(
  source: ArchiveSource,
  query: ArchiveQuery,
  io: CliIo,
  onProgress?: (read: number) => void,
): Promise<{ events: CanonicalEvent[]; from: string }> {
  if (source.data !== undefined) {
    const dataDir = resolve(io.cwd, source.data);
    const events = await readArchivedEvents(dataDir, query);
    onProgress?.(events.length);
    return { events, from: dataDir };
  }
  const base = runtimeUrl(source.url, io);
  const credential = apiCredentialFor(base, io);
  const newestFirst: CanonicalEvent[] = [];
  let cursor: string | undefined;
  do {
    const params = new URLSearchParams({ limit: String(PAGE) });
    for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, value);
    if (cursor) params.set('cursor', cursor);
    const page = await callRuntime<{ events: unknown[]; next?: string | null }>(
      base,
      'GET',
      `/api/events?${params}`,
      undefined,
      credential,
    );
    for (const item of page.events) {
      const parsed = canonicalEventSchema.safeParse(item);
      if (!parsed.success)
        throw new RuntimeApiError(
          `GET /api/events answered an event that is not canonical (${(item as { id?: unknown })?.id ?? 'no id'}): ${parsed.error.issues[0]?.message}`,
        );
      newestFirst.push(parsed.data);
    }
    onProgress?.(newestFirst.length);
    cursor = page.next ?? undefined;
  } while (cursor !== undefined);
  return { events: newestFirst.reverse(), from: base };
}

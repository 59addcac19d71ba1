import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CanonicalEvent } from '../core/event.js';
import { EmbeddedDatabase, EmbeddedStoreLockedError } from '../storage/embedded/database.js';
import { EmbeddedEventStore } from '../storage/embedded/event-store.js';

/** Which stored events an export reads: ISO times (`since` inclusive, `until` exclusive) and a platform. */
export interface ArchiveQuery {
  since?: string;
  until?: string;
  platform?: string;
}

/** The runtime's sub-folders of the data folder (entries/local/runtime-settings.ts STORE_FOLDERS, which app may not import). */
const EMBEDDED_FOLDER = 'embedded';
const DYNALITE_FOLDER = 'dynamodb';
const PAGE = 1_000;

/** A running Foghorn holds the data folder: its store is read through that runtime's API instead. */
export class DataFolderHeldError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the data folder ${dataDir} is held by a running Foghorn (process ${pid}): read it through that runtime's API instead (leave out --data; the CLI finds the runtime by --url, FOGHORN_URL or FOGHORN_PORT)`,
    );
    this.name = 'DataFolderHeldError';
  }
}

/** The data folder holds no embedded store (a fresh folder, or the dynalite data of an earlier Foghorn). */
export class NoArchiveError extends Error {}

/**
 * The stored events of a data folder (`foghorn events export --data`), read straight from its embedded store while
 * no runtime holds it, oldest first. Expired events are left out, as the runtime's API leaves them out. The store is
 * open (and so locked against a runtime's start) only while it is read.
 */
export async function readArchivedEvents(dataDir: string, query: ArchiveQuery, now: Date = new Date()): Promise<CanonicalEvent[]> {
  const folder = join(dataDir, EMBEDDED_FOLDER);
  if (!existsSync(folder)) {
    const dynalite = existsSync(join(dataDir, DYNALITE_FOLDER))
      ? `; it holds the dynalite data of an earlier Foghorn in ${join(dataDir, DYNALITE_FOLDER)}: start that Foghorn (FOGHORN_STORE=dynamodb) and read it through its API, or run foghorn data migrate first`
      : '';
    throw new NoArchiveError(`no embedded store in ${dataDir} (no ${folder})${dynalite}`);
  }
  let database: EmbeddedDatabase;
  try {
    database = EmbeddedDatabase.open({ path: folder, retention: { now: () => now } });
  } catch (error) {
    if (error instanceof EmbeddedStoreLockedError) throw new DataFolderHeldError(dataDir, error.pid);
    throw error;
  }
  try {
    const store = new EmbeddedEventStore({ database });
    const fingerprint = JSON.stringify(query);
    const newestFirst: CanonicalEvent[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listPage({ limit: PAGE, fingerprint, ...query, ...(cursor ? { cursor } : {}) });
      newestFirst.push(...page.items);
      cursor = page.next;
    } while (cursor !== undefined);
    return newestFirst.reverse();
  } finally {
    await database.close();
  }
}

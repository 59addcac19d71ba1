import { BadCursorError, type IndexPage } from '../../core/index-page.js';
import type { EmbeddedDatabase } from './database.js';

export type { IndexPage } from '../../core/index-page.js';

/**
 * Newest-first listings over a secondary ordering `idx/<listing>/<ISO time>#<id>` whose values point at the
 * records (a record key, or whatever `load` reads). The same paging as the DynamoDB listings
 * (storage/dynamo/index-query.ts): filters run after the read, and the cursor is the index key of the last
 * entry *examined*, so the next page starts right after it and nothing is skipped or served twice.
 */
export interface IndexPageOptions<T> {
  limit: number;
  /** The `next` of the previous page. */
  cursor?: string;
  /** ISO time bounds on the index: `from` inclusive, `before` exclusive. */
  from?: string;
  before?: string;
  keep?: (item: T) => boolean;
  /** The filters, sealed into the cursor: a cursor is refused with other filters. */
  fingerprint?: string;
  /** Entries examined per call at most, so a rare filter cannot read the whole listing in one request. */
  maxExamined?: number;
}

const CHUNK = 256;

export function listIndexPage<P, T>(
  db: EmbeddedDatabase,
  prefix: string,
  load: (pointer: P) => T | undefined,
  options: IndexPageOptions<T>,
): IndexPage<T> {
  const maxExamined = options.maxExamined ?? 10_000;
  const fingerprint = options.fingerprint ?? '';
  const bounds = {
    ...(options.from === undefined ? {} : { from: prefix + options.from }),
    ...(options.before === undefined ? {} : { before: prefix + options.before }),
  };
  let after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, prefix, fingerprint);
  const items: T[] = [];
  let examined = 0;
  for (;;) {
    const chunk = db.range<P>({ prefix, reverse: true, limit: CHUNK, ...bounds, ...(after === undefined ? {} : { after }) });
    for (const [index, entry] of chunk.entries()) {
      examined += 1;
      after = entry.key;
      const item = load(entry.value);
      if (item !== undefined && (!options.keep || options.keep(item))) items.push(item);
      if (items.length >= options.limit || examined >= maxExamined) {
        const more = index < chunk.length - 1 || db.range({ prefix, reverse: true, limit: 1, ...bounds, after: entry.key }).length > 0;
        return more ? { items, next: encodeCursor(entry.key, fingerprint) } : { items };
      }
    }
    if (chunk.length < CHUNK) return { items };
  }
}

/** The newest `limit` records of a listing. */
export function listNewest<P, T>(db: EmbeddedDatabase, prefix: string, load: (pointer: P) => T | undefined, limit: number): T[] {
  const items: T[] = [];
  for (const entry of db.range<P>({ prefix, reverse: true, limit })) {
    const item = load(entry.value);
    if (item !== undefined) items.push(item);
  }
  return items;
}

function encodeCursor(key: string, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ k: key, f: fingerprint }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, prefix: string, fingerprint: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadCursorError('it is not a cursor Foghorn gave');
  }
  const { k, f } = (parsed ?? {}) as { k?: unknown; f?: unknown };
  if (typeof k !== 'string') throw new BadCursorError('it is not a cursor Foghorn gave');
  if (!k.startsWith(prefix)) throw new BadCursorError('it belongs to another listing');
  if (f !== fingerprint) throw new BadCursorError('send it with the same filters as the page that gave it');
  return k;
}

import type { CursorStore } from '../../core/ports.js';
import type { EmbeddedDatabase } from './database.js';

/** Poll cursors: `cursor/<platform>`, one record per platform, overwritten each poll. */
export class EmbeddedCursorStore implements CursorStore {
  private readonly db: EmbeddedDatabase;

  constructor(options: { database: EmbeddedDatabase }) {
    if (!options?.database) throw new Error('EmbeddedCursorStore: database is required');
    this.db = options.database;
  }

  async get(platform: string): Promise<string | undefined> {
    return this.db.get<{ cursor: string }>(cursorKey(platform))?.cursor;
  }

  async put(platform: string, cursor: string, now: Date): Promise<void> {
    const key = cursorKey(platform);
    await this.db.write((tx) => tx.put(key, { cursor, updatedAt: now.toISOString() }));
  }
}

function cursorKey(platform: string): string {
  if (!platform) throw new Error('EmbeddedCursorStore: platform is required');
  return `cursor/${platform}`;
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { EmbeddedDatabase } from '../../../functions/storage/embedded/database.js';

/**
 * An embedded database on a temporary folder for the current describe block, removed afterwards.
 * Call at the top of a describe block; read `.current` inside tests.
 */
export function useEmbeddedDatabase(): { readonly current: EmbeddedDatabase; readonly folder: string } {
  const holder: { current?: EmbeddedDatabase; folder?: string } = {};
  beforeAll(() => {
    holder.folder = mkdtempSync(join(tmpdir(), 'foghorn-contract-'));
    holder.current = EmbeddedDatabase.open({ path: holder.folder });
  });
  afterAll(async () => {
    await holder.current?.close();
    if (holder.folder) rmSync(holder.folder, { recursive: true, force: true });
  });
  return {
    get current() {
      if (!holder.current) throw new Error('useEmbeddedDatabase: the database is not open yet (use it inside a test)');
      return holder.current;
    },
    get folder() {
      if (!holder.folder) throw new Error('useEmbeddedDatabase: no folder yet (use it inside a test)');
      return holder.folder;
    },
  };
}

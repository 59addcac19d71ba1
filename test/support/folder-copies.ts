import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/**
 * Copies of a repository data folder (word lists, models) under `name` in fresh temporary folders, to take a file
 * away or spoil one; each is removed after its test.
 */
export function folderCopies(source: string, name: string, prefix: string): () => string {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });
  return () => {
    const folder = mkdtempSync(join(tmpdir(), prefix));
    folders.push(folder);
    cpSync(source, join(folder, name), { recursive: true });
    return join(folder, name);
  };
}

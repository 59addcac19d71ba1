import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildConsole } from '../console/build.js';
import { REPO_ROOT } from './constructs/foghorn-function.js';

/** The ops console built at synth, as files in a folder: what the stack deploys to S3. */
export interface ConsoleForDeployment {
  /** Absolute path of the folder: `index.html` at its root, the hashed script and styles under `assets/`. */
  dir: string;
  /** The files in it, relative to `dir`, with the media type each is served with. */
  files: ReadonlyArray<{ path: string; type: string }>;
}

/**
 * Builds the console exactly as the local runtime serves it (console/build.ts, in memory) and writes it under
 * node_modules/.cache, in a folder named by the content's hash: synths reuse it, and a concurrent synth never
 * reads half of one (it is written aside and renamed).
 */
export async function consoleForDeployment(): Promise<ConsoleForDeployment> {
  const built = [...(await buildConsole())].sort(([a], [b]) => a.localeCompare(b));
  const hash = createHash('sha256');
  for (const [path, file] of built) hash.update(path).update('\0').update(file.body).update('\0');
  const cache = join(REPO_ROOT, 'node_modules', '.cache', 'foghorn-console');
  const dir = join(cache, hash.digest('hex').slice(0, 16));
  if (!existsSync(join(dir, 'index.html'))) {
    mkdirSync(cache, { recursive: true });
    const staging = mkdtempSync(join(cache, 'staging-'));
    for (const [path, file] of built) {
      mkdirSync(dirname(join(staging, path)), { recursive: true });
      writeFileSync(join(staging, path), file.body);
    }
    try {
      renameSync(staging, dir);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(join(dir, 'index.html'))) throw error;
    }
  }
  return { dir, files: built.map(([path, file]) => ({ path, type: file.type })) };
}

import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { STORE_FOLDERS } from './runtime-settings.js';

/**
 * The dynalite folder an earlier Foghorn kept its data in (`<data folder>/dynamodb/`), when it holds any:
 * the embedded store never reads it, so the runtime says so at every start rather than let it look lost.
 */
export function findDynaliteLayout(dataDir: string): string | undefined {
  const folder = join(dataDir, STORE_FOLDERS.dynamodb);
  try {
    return readdirSync(folder).length > 0 ? folder : undefined;
  } catch {
    return undefined;
  }
}

/** What to log about a dynalite folder found while the store is embedded: one line per way forward (migrate, keep, start fresh). */
export function dynaliteLayoutNotice(folder: string, embeddedFolder: string): string[] {
  return [
    `found the DynamoDB (dynalite) data of an earlier Foghorn in ${folder}: the embedded store does not read it, and it is left untouched`,
    `to bring it into the embedded store (events, actions, approvals, audit, crisis state, timers, queues and dead letters): stop Foghorn and run \`npx foghorn data migrate --data ${dirname(folder)}\` (it copies, and leaves ${folder} as it is)`,
    `to keep using it: start with FOGHORN_STORE=dynamodb`,
    `to start fresh: move ${folder} somewhere else (this message stops when it is gone); the embedded store keeps its data in ${embeddedFolder}`,
  ];
}

import { type MigrationReport, migrateDynaliteFolder } from '../storage/migrate/dynalite-to-embedded.js';
import { topology } from './topology.js';

export { MigrationRefusedError, type MigrationReport } from '../storage/migrate/dynalite-to-embedded.js';

/** The queues a local runtime keeps (topology.ts), each with its dead-letter queue (`<name>-dlq`, local-adapters.ts). */
export const MIGRATED_QUEUES: readonly string[] = Object.keys(topology.queues).flatMap((name) => [name, `${name}-dlq`]);

/** `foghorn data migrate`: the dynalite data folder of an earlier Foghorn into a fresh embedded store (storage/migrate/). */
export function migrateDataFolder(dataDir: string, now?: Date): Promise<MigrationReport> {
  return migrateDynaliteFolder({ dataDir, queues: MIGRATED_QUEUES, ...(now ? { now } : {}) });
}

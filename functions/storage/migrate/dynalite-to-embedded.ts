import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../dynamo/embedded.js';
import { fromItem } from '../dynamo/item.js';
import { EmbeddedDatabase, EmbeddedStoreLockedError } from '../embedded/database.js';
import { dynaliteLockHolder } from './dynalite-lock.js';
import { DynamoItemImporter, type ImportReport } from './import-items.js';

/**
 * `foghorn data migrate`: copies the dynalite data of an earlier Foghorn (`<data>/dynamodb/`) into a fresh
 * embedded store (`<data>/embedded/`), so a team keeps its history when it moves to the embedded store.
 *
 * - The dynalite folder is only read: it is copied aside first and dynalite runs on the copy (LevelDB rewrites
 *   its own files when it opens), so `<data>/dynamodb/` stays byte for byte as it was, and is never deleted.
 * - Refused while a runtime holds either folder, and when `<data>/embedded/` already holds data.
 * - The new store is built in a folder beside (`<data>/.embedded-migrating-…`) and renamed into place only once
 *   everything is on disk: a failure leaves the data folder as it was.
 * - Items are read with one table Scan and mapped by import-items.ts.
 *
 * The sub-folder names are the runtime's (entries/local/runtime-settings.ts STORE_FOLDERS, which storage may not
 * import; test/cli/data-migrate.test.ts checks they agree).
 */
export const MIGRATION_FOLDERS = { embedded: 'embedded', dynamodb: 'dynamodb' } as const;

export interface MigrationOptions {
  /** The data folder (FOGHORN_DATA). */
  dataDir: string;
  /** The queues whose messages are copied (the topology's, with their dead-letter queues). */
  queues: readonly string[];
  /** Decides what has expired (default: now). */
  now?: Date;
}

export interface MigrationReport extends ImportReport {
  source: string;
  target: string;
  /** Items the Scan read. */
  scanned: number;
}

/** The migration will not run as things are; the message says what to do. Nothing was changed. */
export class MigrationRefusedError extends Error {
  override readonly name = 'MigrationRefusedError';
}

const SCAN_PAGE = 500;

export async function migrateDynaliteFolder(options: MigrationOptions): Promise<MigrationReport> {
  const dataDir = resolve(options.dataDir);
  const source = join(dataDir, MIGRATION_FOLDERS.dynamodb);
  const target = join(dataDir, MIGRATION_FOLDERS.embedded);
  if (!hasFiles(source)) throw new MigrationRefusedError(`there is no dynalite data to migrate in ${source}`);
  if ((await dynaliteLockHolder(source)) === 'held') {
    throw new MigrationRefusedError(
      `${source} is in use by a running Foghorn (FOGHORN_STORE=dynamodb; it holds ${join(source, 'LOCK')}): stop it, then migrate`,
    );
  }
  await assertTargetEmpty(target);

  const snapshot = mkdtempSync(join(tmpdir(), 'foghorn-migrate-'));
  const staging = mkdtempSync(join(dataDir, '.embedded-migrating-'));
  let dynamo: EmbeddedDynamo | undefined;
  let database: EmbeddedDatabase | undefined;
  try {
    const copy = join(snapshot, MIGRATION_FOLDERS.dynamodb);
    cpSync(source, copy, { recursive: true });
    dynamo = await startEmbeddedDynamo({ path: copy, privateCredential: true }).catch((error: unknown) => {
      throw new Error(`could not read the dynalite data in ${source} (${error instanceof Error ? error.message : String(error)})`, {
        cause: error,
      });
    });
    database = EmbeddedDatabase.open({ path: staging });
    const importer = new DynamoItemImporter(database, { queues: options.queues, now: options.now ?? new Date() });
    let scanned = 0;
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await dynamo.client.send(
        new ScanCommand({ TableName: dynamo.tableName, ConsistentRead: true, Limit: SCAN_PAGE, ExclusiveStartKey: start }),
      );
      for (const raw of page.Items ?? []) {
        scanned += 1;
        await importer.add(fromItem(raw) as Parameters<DynamoItemImporter['add']>[0]);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    const report = await importer.finish();
    await database.close();
    database = undefined;
    await dynamo.stop();
    dynamo = undefined;

    // Only now does the data folder change: the new store takes the place of an empty one, or of none.
    await assertTargetEmpty(target);
    if (existsSync(target)) {
      const aside = `${staging}-replaced-empty`;
      renameSync(target, aside);
      renameSync(staging, target);
      rmSync(aside, { recursive: true, force: true });
    } else {
      renameSync(staging, target);
    }
    return { source, target, scanned, ...report };
  } catch (error) {
    await database?.close().catch(() => {});
    await dynamo?.stop().catch(() => {});
    rmSync(staging, { recursive: true, force: true });
    throw error;
  } finally {
    rmSync(snapshot, { recursive: true, force: true });
  }
}

function hasFiles(folder: string): boolean {
  try {
    return readdirSync(folder).length > 0;
  } catch {
    return false;
  }
}

/**
 * Refuses when a runtime holds the embedded folder or it holds any record; true when it exists empty (it is
 * replaced), false when there is none.
 */
async function assertTargetEmpty(target: string): Promise<boolean> {
  if (!existsSync(target)) return false;
  const holder = livePid(join(target, 'foghorn.lock'));
  if (holder !== undefined) {
    throw new MigrationRefusedError(
      `${target} is in use by a running Foghorn (process ${holder} holds ${join(target, 'foghorn.lock')}): stop it, then migrate`,
    );
  }
  if (!existsSync(join(target, 'data.mdb'))) return true;
  let database: EmbeddedDatabase;
  try {
    database = EmbeddedDatabase.open({ path: target });
  } catch (error) {
    if (error instanceof EmbeddedStoreLockedError)
      throw new MigrationRefusedError(`${target} is in use by a running Foghorn (it holds ${error.lockFile}): stop it, then migrate`);
    throw error;
  }
  const holdsData = database.range({ prefix: '', limit: 1 }).length > 0;
  await database.close();
  if (holdsData) {
    throw new MigrationRefusedError(
      `${target} already holds data: the migration only fills a fresh embedded store. Move it away first (for example: mv ${target} ${target}.before-migration), then migrate again`,
    );
  }
  return true;
}

function livePid(lockFile: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(lockFile, 'utf8').trim(), 10);
  } catch {
    return undefined;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

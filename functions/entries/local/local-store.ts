import { join } from 'node:path';
import type { LocalStorage } from '../../app/local-adapters.js';
import { EmbeddedDatabase, EmbeddedStoreLockedError } from '../../storage/embedded/database.js';
import { countDynamoCalls } from './dynamo-call-counter.js';
import { STORE_FOLDERS, type StoreChoice, type StoreEngine } from './runtime-settings.js';

/** What `/health` says about the store: its engine, and the writes, commits and reads since the start. */
export interface StoreStats {
  engine: StoreEngine;
  /** Write calls (embedded: `write()` transactions; DynamoDB: write requests). Staged acknowledgements are not writes. */
  writes: number;
  /** What reached disk: embedded commits carry many writes (group commit); each DynamoDB write is its own. */
  commits: number;
  /** Reads outside a write (embedded: `get`/`range`; DynamoDB: read requests). */
  reads: number;
}

/** The store the runtime keeps its data in, open, with what the adapters are built on. */
export interface LocalStore {
  storage: LocalStorage;
  /** Where the data is: a folder, or a DynamoDB endpoint. */
  location: string;
  /** The embedded dynalite's endpoint (127.0.0.1), when the store is one. */
  dynaliteEndpoint?: string;
  stats(): StoreStats;
  /** Everything written is on disk (embedded: staged acknowledgements flushed). */
  stop(): Promise<void>;
}

/** Two runtimes on one data folder would corrupt its store: the second one stops at start and says why. */
export class DataFolderInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly lockFile: string,
    holder: string,
  ) {
    super(
      `the data folder ${dataDir} is in use by another Foghorn runtime (its ${holder} holds the lock ${lockFile}): stop that runtime, or set FOGHORN_DATA to another folder`,
    );
    this.name = 'DataFolderInUseError';
  }
}

/**
 * Opens the chosen store under the data folder (embedded: `<data>/embedded/`, dynalite: `<data>/dynamodb/`);
 * `onStagedError` hears of an embedded write that failed after its call returned (the runtime's logger).
 */
export async function openLocalStore(dataDir: string, choice: StoreChoice, onStagedError?: (error: unknown) => void): Promise<LocalStore> {
  if (choice.engine === 'embedded') return openEmbedded(dataDir, onStagedError);
  if (choice.endpoint === undefined) return openDynalite(dataDir);
  return openDynamoEndpoint(choice.endpoint, choice.region);
}

function openEmbedded(dataDir: string, onStagedError?: (error: unknown) => void): LocalStore {
  const folder = join(dataDir, STORE_FOLDERS.embedded);
  let database: EmbeddedDatabase;
  try {
    database = EmbeddedDatabase.open({ path: folder, ...(onStagedError ? { onStagedError } : {}) });
  } catch (error) {
    if (error instanceof EmbeddedStoreLockedError) throw new DataFolderInUseError(dataDir, error.lockFile, 'embedded store');
    throw error;
  }
  return {
    storage: { engine: 'embedded', database },
    location: folder,
    stats: () => ({ engine: 'embedded', writes: database.stats.writes, commits: database.stats.commits, reads: database.stats.reads }),
    stop: () => database.close(),
  };
}

// The DynamoDB modes import the AWS SDK when chosen: the embedded store never loads it (start-up time and memory).
async function openDynalite(dataDir: string): Promise<LocalStore> {
  const { EmbeddedDynamoLockedError, startEmbeddedDynamo } = await import('../../storage/dynamo/embedded.js');
  const folder = join(dataDir, STORE_FOLDERS.dynamodb);
  const dynamo = await startEmbeddedDynamo({ path: folder, inWorker: true, privateCredential: true }).catch((error: unknown) => {
    if (error instanceof EmbeddedDynamoLockedError) throw new DataFolderInUseError(dataDir, error.lockFile, 'embedded DynamoDB');
    throw error;
  });
  const calls = countDynamoCalls(dynamo.client);
  return {
    storage: { engine: 'dynamodb', table: { client: dynamo.client, tableName: dynamo.tableName } },
    location: folder,
    dynaliteEndpoint: dynamo.endpoint,
    stats: () => ({ engine: 'dynamodb', writes: calls.writes, commits: calls.writes, reads: calls.reads }),
    stop: () => dynamo.stop(),
  };
}

/** A DynamoDB the runtime does not run (DynamoDB Local): credentials from the usual AWS environment. */
async function openDynamoEndpoint(endpoint: string, region: string | undefined): Promise<LocalStore> {
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { DEFAULT_TABLE_NAME, ensureTable } = await import('../../storage/dynamo/table.js');
  const client = new DynamoDBClient({ endpoint, region: region ?? 'local', maxAttempts: 3 });
  const calls = countDynamoCalls(client);
  try {
    await ensureTable(client, DEFAULT_TABLE_NAME);
  } catch (error) {
    client.destroy();
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new Error(
      `the DynamoDB at FOGHORN_DYNAMODB_ENDPOINT=${endpoint} could not be reached or could not create the table '${DEFAULT_TABLE_NAME}' (${reason}); is it running, and are AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set?`,
      { cause: error },
    );
  }
  return {
    storage: { engine: 'dynamodb', table: { client, tableName: DEFAULT_TABLE_NAME } },
    location: endpoint,
    stats: () => ({ engine: 'dynamodb', writes: calls.writes, commits: calls.writes, reads: calls.reads }),
    stop: async () => {
      client.destroy();
    },
  };
}

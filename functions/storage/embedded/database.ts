import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { open, type RootDatabase, type RootDatabaseOptionsWithPath } from 'lmdb';
import { EmbeddedStoreLockedError } from './locked-error.js';
import { BACKFILL_PREFIX, EXPIRY_PREFIX, expiryKey, type RetainedKind } from './retention.js';

export { EmbeddedStoreLockedError } from './locked-error.js';

/**
 * The local storage engine: one lmdb environment per data folder, string keys with a prefix per record type
 * (`event/`, `raw/`, `action/`, `decision/`, `rule/`, `cursor/`, `crisis/…`, `queue/<name>/…`, `idx/…`).
 *
 * Cost model: a read is a synchronous B-tree lookup in the memory map (no I/O when cached, no thread hop).
 * A write runs its callback synchronously on the main thread inside lmdb's write transaction; every
 * `write()` queued in the same event turn, and while a commit is in progress, shares the next commit (group
 * commit), so the fsync cost is paid once per batch, not per call. The promise resolves only after that
 * commit is on disk (`overlappingSync: false`: lmdb syncs before it reports the commit; never `noSync`).
 * Staged operations ride along in the next commit for free.
 */
export interface EmbeddedDatabaseOptions {
  /** A folder; created if missing. */
  path: string;
  /** How long a staged operation waits for a write to carry it before it gets a commit of its own. */
  stagedFlushMs?: number;
  /** A staged operation or an afterCommit callback that threw (a staged operation is dropped; the others still commit). */
  onStagedError?: (error: unknown) => void;
  /** Turns retention on (see enableRetention): the clock that says what has expired. */
  retention?: { now: () => Date };
}

export interface SweepResult {
  /** Expired records removed (each with its listings). */
  expired: number;
  /** Records given an expiry entry by the backfill. */
  backfilled: number;
  /** False while expired records or unbackfilled records remain for the next pass. */
  done: boolean;
}

export interface WriteTx {
  /** Reads through the transaction: sees its own writes. */
  get<T>(key: string): T | undefined;
  put(key: string, value: unknown): void;
  remove(key: string): void;
  range<T>(options: RangeOptions): Array<{ key: string; value: T }>;
  /**
   * Called once the commit carrying this write (or staged operation) is durable (`true`), or when its
   * writes were rolled back or the commit failed (`false`): for an outbox that must say when what it put
   * in another store's write is safe to deliver.
   */
  afterCommit(callback: (committed: boolean) => void): void;
}

export interface RangeOptions {
  prefix: string;
  /** Descending key order. */
  reverse?: boolean;
  limit?: number;
  /** Continue past this key (exclusive), in the direction of the scan. */
  after?: string;
  /** Key bounds inside the prefix: `from` inclusive, `before` exclusive. */
  from?: string;
  before?: string;
}

export interface EmbeddedDatabaseStats {
  /** `write()` calls. */
  writes: number;
  /** lmdb commits that carried writes or staged operations (fewer than writes when batched). */
  commits: number;
  /** Commits made only to flush staged operations. */
  stagedFlushes: number;
  /** `get()` and `range()` calls outside a write. */
  reads: number;
  /** Retention sweeps run (their own commits, not writes) and the expired records they removed. */
  sweeps: number;
  expired: number;
}

type AfterCommit = (committed: boolean) => void;

const DEFAULT_STAGED_FLUSH_MS = 200;
/**
 * Address space reserved for the data file at open (it does not allocate or grow the file). lmdb starts at 128 KB
 * and doubles the map as the file outgrows it, keeping every earlier map for readers still holding it: a data
 * folder of 48 MB was mapped eight times, with 92 MB of its pages counted in the process's RSS. Beyond this size the
 * map still doubles.
 */
const INITIAL_MAP_BYTES = 1024 ** 3;
/** Entries (expired records, or records backfilled) one sweep handles at most: one short transaction. */
const DEFAULT_SWEEP_LIMIT = 1_000;
const LOCK_FILE = 'foghorn.lock';
/** Above every code point: the end of a prefix's key range. */
const PREFIX_END = '\u{10FFFF}';

/** Folders this process holds, so a second open in the same process is refused too. */
const heldFolders = new Set<string>();

export class EmbeddedDatabase {
  readonly stats: EmbeddedDatabaseStats = { writes: 0, commits: 0, stagedFlushes: 0, reads: 0, sweeps: 0, expired: 0 };
  readonly folder: string;
  private readonly root: RootDatabase;
  private readonly lockFile: string;
  private readonly stagedFlushMs: number;
  private readonly onStagedError: (error: unknown) => void;
  private readonly tx: WriteTx;
  private staged: Array<(tx: WriteTx) => void> = [];
  private flushTimer: NodeJS.Timeout | undefined;
  /** The last transaction queued: commits are in order, so awaiting it awaits every earlier one. */
  private lastCommit: Promise<unknown> = Promise.resolve();
  private lastTxnId: number | undefined;
  /** Where `tx.afterCommit` collects, while a write function or a staged operation runs. */
  private collecting: AfterCommit[] | undefined;
  private closed = false;
  /** With retention on, what time it is for expiry; off, reads answer expired records still (a tool, a test's fixed dates). */
  private retentionNow: (() => Date) | undefined;
  private readonly retained = new Map<string, RetainedKind>();

  private constructor(options: EmbeddedDatabaseOptions, folder: string, lockFile: string) {
    this.folder = folder;
    this.lockFile = lockFile;
    this.stagedFlushMs = options.stagedFlushMs ?? DEFAULT_STAGED_FLUSH_MS;
    this.onStagedError = options.onStagedError ?? ((error) => console.error('EmbeddedDatabase: a staged operation failed', error));
    this.retentionNow = options.retention?.now;
    // Values as plain msgpack maps (`useRecords: false`): without shared structures, a record writes its structure's
    // definition inline in every value and the reader re-reads it, which cost about twice the encoding time of a map
    // here. The decoder still reads values written as records, so a data folder from before opens as it was.
    // (`useRecords` is msgpackr's option, which lmdb passes on to its encoder; its types do not list it.)
    const settings: RootDatabaseOptionsWithPath & { useRecords: boolean } = {
      path: folder,
      noSubdir: false,
      compression: false,
      overlappingSync: false,
      useRecords: false,
      mapSize: INITIAL_MAP_BYTES,
    };
    this.root = open(settings);
    const root = this.root;
    this.tx = {
      get: <T>(key: string) => root.get(key) as T | undefined,
      put: (key, value) => {
        root.putSync(key, value);
      },
      remove: (key) => {
        root.removeSync(key);
      },
      range: <T>(options: RangeOptions) => this.scan<T>(options),
      afterCommit: (callback) => {
        if (!this.collecting) throw new Error('EmbeddedDatabase: afterCommit is only for use inside a write or a staged operation');
        this.collecting.push(callback);
      },
    };
  }

  /** Opens (creating) the folder's store; refuses with EmbeddedStoreLockedError while another live process holds it. */
  static open(options: EmbeddedDatabaseOptions): EmbeddedDatabase {
    if (!options?.path) throw new Error('EmbeddedDatabase.open: path (a folder) is required');
    const folder = resolve(options.path);
    mkdirSync(folder, { recursive: true });
    const lockFile = join(folder, LOCK_FILE);
    if (heldFolders.has(folder)) throw new EmbeddedStoreLockedError(folder, lockFile, process.pid);
    acquireLock(folder, lockFile);
    heldFolders.add(folder);
    try {
      return new EmbeddedDatabase(options, folder, lockFile);
    } catch (error) {
      heldFolders.delete(folder);
      releaseLock(folder, lockFile);
      throw error;
    }
  }

  get<T>(key: string): T | undefined {
    this.assertOpen('get');
    this.stats.reads += 1;
    return this.root.get(key) as T | undefined;
  }

  range<T>(options: RangeOptions): Array<{ key: string; value: T }> {
    this.assertOpen('range');
    this.stats.reads += 1;
    return this.scan<T>(options);
  }

  /**
   * Runs `fn` synchronously inside one write transaction (reads through `tx` see its own writes) and
   * resolves with its result once the commit is durable. If `fn` throws, its writes are rolled back and the
   * promise rejects; staged operations carried by the same commit still commit. `fn` must not call `write`.
   */
  write<T>(fn: (tx: WriteTx) => T): Promise<T> {
    this.assertOpen('write');
    this.stats.writes += 1;
    const own: AfterCommit[] = [];
    const staged: AfterCommit[] = [];
    // Boxed: lmdb would await a result that has a `then` and hold the write lock meanwhile. A throw in `fn` is
    // caught here, so the promise of the commit says only whether the commit (staged operations too) succeeded.
    const outcome = this.root.transaction(() => {
      this.countCommit();
      this.applyStaged(staged);
      this.collecting = own;
      try {
        // A child transaction, so a throw in `fn` undoes only `fn`'s writes.
        return this.root.transactionSync(() => {
          const value = fn(this.tx);
          if (value instanceof Promise) throw new Error('EmbeddedDatabase.write: the write function must be synchronous');
          return { value };
        }) as { value: T };
      } catch (error) {
        return { error };
      } finally {
        this.collecting = undefined;
      }
    }) as Promise<{ value: T } | { error: unknown }>;
    this.lastCommit = outcome.then(
      () => undefined,
      () => undefined,
    );
    return outcome.then(
      (result) => {
        this.settle(staged, true);
        if ('error' in result) {
          this.settle(own, false);
          throw result.error;
        }
        this.settle(own, true);
        return result.value;
      },
      (error: unknown) => {
        this.settle(staged, false);
        this.settle(own, false);
        throw error;
      },
    );
  }

  /**
   * Turns retention on: reads stop answering records whose expiry (retention.ts) is past by `now`, and
   * sweepExpired removes them. The local runtime turns it on with its clock.
   */
  enableRetention(clock: { now: () => Date } = { now: () => new Date() }): void {
    this.retentionNow = () => clock.now();
  }

  /** True when retention is on and `expiresAt` (epoch seconds) is past: the record is not to be answered. */
  isExpired(expiresAt: number | undefined): boolean {
    if (expiresAt === undefined || this.retentionNow === undefined) return false;
    return expiresAt * 1000 <= this.retentionNow().getTime();
  }

  /** A store's record type, for the backfill of records kept before expiry entries existed. */
  retain(kind: RetainedKind): void {
    this.retained.set(kind.name, kind);
  }

  /**
   * One bounded pass of retention, in one transaction of its own (not a write: it never joins a webhook's
   * commit): removes up to `limit` expired records, oldest expiry first, with every key their entry names; then,
   * with what is left of `limit`, files expiry entries for records kept before they existed. Needs retention on
   * (or `now`). Run it on a schedule: each pass is short, and what it leaves the next one takes.
   */
  async sweepExpired(options: { limit?: number; now?: Date } = {}): Promise<SweepResult> {
    this.assertOpen('sweepExpired');
    const now = options.now ?? this.retentionNow?.();
    if (now === undefined) throw new Error('EmbeddedDatabase.sweepExpired: retention is off (enableRetention) and no now was given');
    const limit = Math.max(1, options.limit ?? DEFAULT_SWEEP_LIMIT);
    const nowSeconds = Math.floor(now.getTime() / 1000);
    this.stats.sweeps += 1;
    const result = this.root.transaction((): SweepResult => {
      this.countCommit();
      const due = this.scan<readonly string[]>({ prefix: EXPIRY_PREFIX, before: expiryKey(nowSeconds + 1, ''), limit: limit + 1 });
      let expired = 0;
      for (const { key, value } of due.slice(0, limit)) {
        for (const gone of Array.isArray(value) ? value : []) if (typeof gone === 'string') this.root.removeSync(gone);
        this.root.removeSync(key);
        expired += 1;
      }
      let budget = limit - expired;
      let backfilled = 0;
      let done = due.length <= limit;
      for (const kind of this.retained.values()) {
        const markerKey = `${BACKFILL_PREFIX}${kind.name}`;
        const marker = this.root.get(markerKey) as { after?: string; done?: true } | undefined;
        if (marker?.done) continue;
        if (budget <= 0) {
          done = false;
          break;
        }
        const records = this.scan<unknown>({ prefix: kind.prefix, limit: budget, ...(marker?.after ? { after: marker.after } : {}) });
        for (const { key, value } of records) {
          const expiry = kind.expiryOf(key, value);
          if (expiry && this.root.get(expiryKey(expiry.at, expiry.key)) === undefined) {
            this.root.putSync(expiryKey(expiry.at, expiry.key), expiry.keys);
            backfilled += 1;
          }
        }
        const last = records.at(-1)?.key;
        if (records.length < budget || last === undefined) this.root.putSync(markerKey, { done: true });
        else {
          this.root.putSync(markerKey, { after: last });
          done = false;
        }
        budget -= records.length;
      }
      this.stats.expired += expired;
      return { expired, backfilled, done };
    }) as Promise<SweepResult>;
    this.lastCommit = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Queues an operation for the next commit: the next `write()`, or a flush within `stagedFlushMs`. */
  stage(fn: (tx: WriteTx) => void): void {
    this.assertOpen('stage');
    this.staged.push(fn);
    if (this.flushTimer === undefined) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        void this.flushStaged().catch(this.onStagedError);
      }, this.stagedFlushMs);
      // A pending flush must not keep the process alive; close() flushes.
      this.flushTimer.unref();
    }
  }

  /** Resolves once every operation staged so far is durable. */
  async flushStaged(): Promise<void> {
    if (this.staged.length > 0 && !this.closed) {
      this.stats.stagedFlushes += 1;
      const staged: AfterCommit[] = [];
      const committed = this.root.transaction(() => {
        this.countCommit();
        this.applyStaged(staged);
      });
      this.lastCommit = committed.then(
        () => undefined,
        () => undefined,
      );
      try {
        await committed;
      } catch (error) {
        this.settle(staged, false);
        throw error;
      }
      this.settle(staged, true);
      return;
    }
    await this.lastCommit;
  }

  /** Flushes staged operations, waits for queued commits, closes the environment and frees the folder. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flushStaged();
    this.closed = true;
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    try {
      await this.root.close();
    } finally {
      releaseLock(this.folder, this.lockFile);
      heldFolders.delete(this.folder);
    }
  }

  /** Applies the staged operations, each in a child transaction (one that throws is undone alone); collects their afterCommit callbacks. */
  private applyStaged(callbacks: AfterCommit[]): void {
    if (this.staged.length === 0) return;
    const operations = this.staged;
    this.staged = [];
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    for (const operation of operations) {
      const own: AfterCommit[] = [];
      this.collecting = own;
      try {
        this.root.transactionSync(() => operation(this.tx));
        callbacks.push(...own);
      } catch (error) {
        this.onStagedError(error);
        this.settle(own, false);
      } finally {
        this.collecting = undefined;
      }
    }
  }

  private settle(callbacks: readonly AfterCommit[], committed: boolean): void {
    for (const callback of callbacks) {
      try {
        callback(committed);
      } catch (error) {
        this.onStagedError(error);
      }
    }
  }

  /** Batched callbacks share one lmdb write transaction id: a new id is a new commit. */
  private countCommit(): void {
    const txnId = this.root.getWriteTxnId();
    if (txnId !== this.lastTxnId) {
      this.lastTxnId = txnId;
      this.stats.commits += 1;
    }
  }

  private scan<T>(options: RangeOptions): Array<{ key: string; value: T }> {
    const { prefix } = options;
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    if (limit <= 0) return [];
    // Everything as key bounds: lo inclusive, hi exclusive, `after` excluded in the scan's direction.
    let lo = options.from !== undefined && options.from > prefix ? options.from : prefix;
    let hi = options.before !== undefined && options.before < prefix + PREFIX_END ? options.before : prefix + PREFIX_END;
    const after = options.after;
    if (after !== undefined && options.reverse && after < hi) hi = after;
    if (after !== undefined && !options.reverse && after > lo) lo = after;
    if (lo >= hi) return [];
    const results: Array<{ key: string; value: T }> = [];
    const entries = options.reverse
      ? this.root.getRange({ start: hi, end: lo, reverse: true })
      : this.root.getRange({ start: lo, end: hi });
    for (const { key, value } of entries) {
      if (typeof key !== 'string') continue;
      // lmdb's reverse range includes its start and excludes its end: the opposite of our bounds.
      if (options.reverse && key >= hi) continue;
      if (!options.reverse && key === after) continue;
      results.push({ key, value: value as T });
      if (results.length >= limit) return results;
    }
    if (options.reverse && results.length < limit) {
      const lowest = this.root.get(lo);
      if (lowest !== undefined) results.push({ key: lo, value: lowest as T });
    }
    return results;
  }

  private assertOpen(operation: string): void {
    if (this.closed) throw new Error(`EmbeddedDatabase.${operation}: the store in ${this.folder} is closed`);
  }
}

/** Takes `<folder>/foghorn.lock` (our pid) unless a live process holds it; a dead holder's lock is taken over. */
function acquireLock(folder: string, lockFile: string): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readLockPid(lockFile);
    // Our own pid in a lock this process does not hold: a previous life of a process that got our pid (pid 1 in a container).
    if (holder !== undefined && holder !== process.pid && isAlive(holder)) throw new EmbeddedStoreLockedError(folder, lockFile, holder);
    try {
      unlinkSync(lockFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new EmbeddedStoreLockedError(folder, lockFile, readLockPid(lockFile) ?? -1);
}

function releaseLock(_folder: string, lockFile: string): void {
  if (readLockPid(lockFile) !== process.pid) return;
  try {
    unlinkSync(lockFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function readLockPid(lockFile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockFile, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

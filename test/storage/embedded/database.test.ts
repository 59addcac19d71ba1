import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { open as openLmdb } from 'lmdb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmbeddedDatabase, EmbeddedStoreLockedError } from '../../../functions/storage/embedded/database.js';

const DATABASE_MODULE = fileURLToPath(new URL('../../../functions/storage/embedded/database.ts', import.meta.url));

const folders: string[] = [];
const open: EmbeddedDatabase[] = [];
const children: ChildProcess[] = [];

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'foghorn-embedded-'));
  folders.push(folder);
  return folder;
}

function openDb(path: string, options: { stagedFlushMs?: number } = {}): EmbeddedDatabase {
  const db = EmbeddedDatabase.open({ path, ...options });
  open.push(db);
  return db;
}

/** A separate node process that opens the folder and keeps it open until killed. */
async function holdInAnotherProcess(folder: string): Promise<ChildProcess> {
  const script = `const { EmbeddedDatabase } = await import(${JSON.stringify(DATABASE_MODULE)});
EmbeddedDatabase.open({ path: ${JSON.stringify(folder)} });
process.stdout.write('ready\\n');
setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += String(chunk);
    });
    child.stdout?.on('data', (chunk) => {
      if (String(chunk).includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the holder exited (${code}) before it was ready: ${stderr}`)));
  });
  return child;
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.on('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

afterEach(async () => {
  for (const child of children.splice(0)) await killed(child);
  for (const db of open.splice(0)) await db.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('EmbeddedDatabase', () => {
  it('keeps a committed write across a close and a reopen', async () => {
    const folder = tempFolder();
    const db = openDb(folder);
    await db.write((tx) => tx.put('event/e1', { id: 'e1', body: Buffer.from('raw bytes') }));
    await db.close();

    const again = openDb(folder);
    const stored = again.get<{ id: string; body: Uint8Array }>('event/e1');
    expect(stored?.id).toBe('e1');
    expect(Buffer.from(stored?.body ?? []).toString()).toBe('raw bytes');
  });

  it('reads values a data folder kept as msgpack records (the encoding before plain maps), and writes plain maps', async () => {
    const folder = tempFolder();
    const value = { event: { id: 'e1', author: { id: 'a1', name: 'Ada' }, tags: ['x'] }, published: true, raw: Buffer.from('bytes') };
    // What EmbeddedDatabase opened before `useRecords: false`: lmdb's default encoder, records with inline structures.
    const before = openLmdb({ path: folder, noSubdir: false, compression: false, overlappingSync: false });
    await before.put('event/e1', value);
    const asRecord = before.getBinary('event/e1');
    await before.close();
    // A record starts with msgpackr's inline structure definition (0xd4 0x72): this was not a plain map.
    expect(asRecord?.[0]).toBe(0xd4);

    const db = openDb(folder);
    const stored = db.get<typeof value>('event/e1');
    expect({ ...stored, raw: Buffer.from(stored?.raw ?? []).toString() }).toEqual({ ...value, raw: 'bytes' });
    await db.write((tx) => tx.put('event/e2', value));
    await db.close();

    const after = openLmdb({ path: folder, noSubdir: false, compression: false });
    try {
      // A map (msgpackr writes plain objects as map16, 0xde): what any msgpack reader takes as an object.
      expect(after.getBinary('event/e2')?.[0]).toBe(0xde);
    } finally {
      await after.close();
    }
  });

  it('maps its data file once as the file grows (no map left behind per growth to count in the memory used)', async () => {
    const folder = tempFolder();
    const db = openDb(folder);
    // About 8 MB in several commits: from lmdb's own 128 KB start the map would have doubled six times.
    for (let batch = 0; batch < 8; batch++) {
      await db.write((tx) => {
        for (let i = 0; i < 1_000; i++) tx.put(`event/${batch}-${i}`, { text: 'x'.repeat(1_000) });
      });
    }
    const dataFile = join(folder, 'data.mdb');
    const maps = readFileSync('/proc/self/maps', 'utf8')
      .split('\n')
      .filter((line) => line.endsWith(dataFile));
    expect(maps).toHaveLength(1);
  });

  it('returns what the write function returns, and its reads see its own writes', async () => {
    const db = openDb(tempFolder());
    const seen = await db.write((tx) => {
      tx.put('counter/a', 1);
      const first = tx.get<number>('counter/a');
      tx.put('counter/a', (first ?? 0) + 1);
      tx.remove('counter/b');
      return { first, then: tx.get<number>('counter/a'), listed: tx.range<number>({ prefix: 'counter/' }) };
    });
    expect(seen).toEqual({ first: 1, then: 2, listed: [{ key: 'counter/a', value: 2 }] });
    expect(db.get('counter/a')).toBe(2);
  });

  it('rolls back the writes of a write function that throws, and rejects with its error', async () => {
    const db = openDb(tempFolder());
    await db.write((tx) => tx.put('a', 'before'));
    await expect(
      db.write((tx) => {
        tx.put('a', 'changed');
        tx.put('b', 'new');
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(db.get('a')).toBe('before');
    expect(db.get('b')).toBeUndefined();
  });

  it('batches concurrent writes into fewer commits, each write counted once', async () => {
    const db = openDb(tempFolder());
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        db.write((tx) => {
          tx.put(`item/${String(index).padStart(3, '0')}`, index);
          return index;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 50 }, (_, index) => index));
    expect(db.stats.writes).toBe(50);
    expect(db.stats.commits).toBeGreaterThanOrEqual(1);
    expect(db.stats.commits).toBeLessThan(50);
    expect(db.range({ prefix: 'item/' })).toHaveLength(50);
  });

  it('applies a staged operation inside the next write, with no commit of its own', async () => {
    const db = openDb(tempFolder(), { stagedFlushMs: 60_000 });
    db.stage((tx) => tx.remove('queue/events/m1'));
    db.stage((tx) => tx.put('queue/events/~count/m2', 2));
    expect(db.get('queue/events/~count/m2')).toBeUndefined();
    await db.write((tx) => tx.put('event/e2', { id: 'e2' }));
    expect(db.get('queue/events/~count/m2')).toBe(2);
    expect(db.stats).toMatchObject({ writes: 1, commits: 1, stagedFlushes: 0 });
  });

  it('flushes a staged operation on its timer when no write comes', async () => {
    const db = openDb(tempFolder(), { stagedFlushMs: 10 });
    db.stage((tx) => tx.put('queue/events/~ack/m1', true));
    await vi.waitFor(() => expect(db.get('queue/events/~ack/m1')).toBe(true));
    expect(db.stats).toMatchObject({ writes: 0, stagedFlushes: 1, commits: 1 });
  });

  it('flushStaged and close make staged operations durable', async () => {
    const folder = tempFolder();
    const db = openDb(folder, { stagedFlushMs: 60_000 });
    db.stage((tx) => tx.put('staged/1', 'one'));
    await db.flushStaged();
    expect(db.get('staged/1')).toBe('one');
    db.stage((tx) => tx.put('staged/2', 'two'));
    await db.close();

    const again = openDb(folder);
    expect(again.range({ prefix: 'staged/' }).map((entry) => entry.value)).toEqual(['one', 'two']);
  });

  it('a staged operation that throws is reported and dropped; the others and the write still commit', async () => {
    const errors: unknown[] = [];
    const db = EmbeddedDatabase.open({ path: tempFolder(), stagedFlushMs: 60_000, onStagedError: (error) => errors.push(error) });
    open.push(db);
    db.stage(() => {
      throw new Error('bad staged op');
    });
    db.stage((tx) => tx.put('staged/ok', 1));
    await db.write((tx) => tx.put('w', 1));
    expect(errors).toEqual([expect.objectContaining({ message: 'bad staged op' })]);
    expect(db.get('staged/ok')).toBe(1);
    expect(db.get('w')).toBe(1);
  });

  it('tells afterCommit callbacks whether their writes committed: true after the commit, false when rolled back', async () => {
    const db = openDb(tempFolder(), { stagedFlushMs: 60_000 });
    const told: string[] = [];
    db.stage((tx) => {
      tx.put('staged/a', 1);
      tx.afterCommit((committed) => told.push(`staged ${committed} ${db.get('staged/a') !== undefined}`));
    });
    await expect(
      db.write((tx) => {
        tx.put('rolled-back', 1);
        tx.afterCommit((committed) => told.push(`write ${committed}`));
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await db.write((tx) => {
      tx.put('kept', 1);
      tx.afterCommit((committed) => told.push(`second write ${committed} ${db.get('kept') !== undefined}`));
    });
    // The staged operation rode with the write that threw, and committed with it.
    expect(told).toEqual(['staged true true', 'write false', 'second write true true']);
  });

  it('refuses afterCommit outside a write', async () => {
    const db = openDb(tempFolder());
    let outside: { afterCommit(callback: (committed: boolean) => void): void } | undefined;
    await db.write((tx) => {
      outside = tx;
    });
    expect(() => outside?.afterCommit(() => {})).toThrow(/only for use inside a write/);
  });

  it('ranges over a prefix in either order, with a limit, a continuation key and bounds', async () => {
    const db = openDb(tempFolder());
    await db.write((tx) => {
      for (const key of ['idx/a/1', 'idx/a/2', 'idx/a/3', 'idx/a/4', 'idx/b/1', 'idx/a']) tx.put(key, key);
    });
    const keys = (options: Parameters<EmbeddedDatabase['range']>[0]) => db.range(options).map((entry) => entry.key);
    expect(keys({ prefix: 'idx/a/' })).toEqual(['idx/a/1', 'idx/a/2', 'idx/a/3', 'idx/a/4']);
    expect(keys({ prefix: 'idx/a/', reverse: true })).toEqual(['idx/a/4', 'idx/a/3', 'idx/a/2', 'idx/a/1']);
    expect(keys({ prefix: 'idx/a/', limit: 2 })).toEqual(['idx/a/1', 'idx/a/2']);
    expect(keys({ prefix: 'idx/a/', after: 'idx/a/2' })).toEqual(['idx/a/3', 'idx/a/4']);
    expect(keys({ prefix: 'idx/a/', reverse: true, after: 'idx/a/3', limit: 1 })).toEqual(['idx/a/2']);
    expect(keys({ prefix: 'idx/a/', from: 'idx/a/2', before: 'idx/a/4' })).toEqual(['idx/a/2', 'idx/a/3']);
    expect(keys({ prefix: 'idx/a/', reverse: true, from: 'idx/a/2', before: 'idx/a/4' })).toEqual(['idx/a/3', 'idx/a/2']);
    expect(keys({ prefix: 'idx/a/', reverse: true, from: 'idx/a/1' })).toEqual(['idx/a/4', 'idx/a/3', 'idx/a/2', 'idx/a/1']);
    expect(keys({ prefix: 'idx/c/' })).toEqual([]);
  });

  it('refuses a second open of the same folder in this process', () => {
    const folder = tempFolder();
    openDb(folder);
    expect(() => EmbeddedDatabase.open({ path: folder })).toThrow(EmbeddedStoreLockedError);
  });

  it('refuses a folder another live process holds, naming the folder and the lock file', async () => {
    const folder = tempFolder();
    const holder = await holdInAnotherProcess(folder);

    let caught: unknown;
    try {
      openDb(folder);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EmbeddedStoreLockedError);
    expect(caught).toMatchObject({ folder, lockFile: join(folder, 'foghorn.lock'), pid: holder.pid });
    expect(String((caught as Error).message)).toContain(join(folder, 'foghorn.lock'));
  });

  it('takes over the lock of a process that was killed', async () => {
    const folder = tempFolder();
    const holder = await holdInAnotherProcess(folder);
    await killed(holder);
    expect(readFileSync(join(folder, 'foghorn.lock'), 'utf8').trim()).toBe(String(holder.pid));

    const db = openDb(folder);
    await db.write((tx) => tx.put('after-takeover', true));
    expect(readFileSync(join(folder, 'foghorn.lock'), 'utf8').trim()).toBe(String(process.pid));
    expect(db.get('after-takeover')).toBe(true);
  });

  it('takes over a lock that names this process id but that this process does not hold (a reused pid)', () => {
    const folder = tempFolder();
    writeFileSync(join(folder, 'foghorn.lock'), `${process.pid}\n`);
    expect(() => openDb(folder)).not.toThrow();
  });

  it('frees the folder on close', async () => {
    const folder = tempFolder();
    await openDb(folder).close();
    await openDb(folder).close();
    expect(() => readFileSync(join(folder, 'foghorn.lock'))).toThrow();
  });
});

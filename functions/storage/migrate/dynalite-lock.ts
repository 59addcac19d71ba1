import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * Whether a process holds the LevelDB lock of a dynalite folder (`<folder>/LOCK`, an fcntl lock), found without
 * opening the database: opening LevelDB, even to be refused, rotates its info log (`LOG` → `LOG.old`), and the
 * migration promises to leave the folder byte for byte as it was. On Linux the kernel lists every held lock in
 * /proc/locks by device and inode; elsewhere the folder is opened and closed once (only LevelDB's info log changes).
 */
export async function dynaliteLockHolder(folder: string): Promise<'held' | 'free'> {
  const lockFile = join(folder, 'LOCK');
  let locks: string;
  try {
    locks = readFileSync('/proc/locks', 'utf8');
  } catch {
    return probeByOpening(folder);
  }
  let stat: { dev: bigint; ino: bigint };
  try {
    stat = statSync(lockFile, { bigint: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'free';
    throw error;
  }
  const device = `${hex(linuxMajor(stat.dev))}:${hex(linuxMinor(stat.dev))}:${stat.ino}`;
  for (const line of locks.split('\n')) {
    // `1: POSIX  ADVISORY  WRITE 12345 fd:01:1234567 0 EOF` (a waiting lock's line has `->` after the number).
    const fields = line.trim().split(/\s+/);
    const at = fields.findIndex((field) => /^[0-9a-f]+:[0-9a-f]+:\d+$/i.test(field));
    if (at >= 0 && sameDevice(fields[at]!, device)) return 'held';
  }
  return 'free';
}

function hex(value: bigint): string {
  return value.toString(16).padStart(2, '0');
}

/** glibc's gnu_dev_major/gnu_dev_minor for a 64-bit dev_t. */
function linuxMajor(dev: bigint): bigint {
  return ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
}

function linuxMinor(dev: bigint): bigint {
  return (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
}

function sameDevice(listed: string, ours: string): boolean {
  const [a1, a2, a3] = listed.toLowerCase().split(':');
  const [b1, b2, b3] = ours.split(':');
  return Number.parseInt(a1!, 16) === Number.parseInt(b1!, 16) && Number.parseInt(a2!, 16) === Number.parseInt(b2!, 16) && a3 === b3;
}

async function probeByOpening(folder: string): Promise<'held' | 'free'> {
  const { Level } = createRequire(createRequire(import.meta.url).resolve('dynalite'))('level') as typeof import('level');
  const probe = new Level(folder, { createIfMissing: false });
  try {
    await probe.open();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') return 'held';
    throw error;
  }
  await probe.close();
  return 'free';
}

/**
 * Memory and CPU time of another process on this machine, read from Linux's /proc. Elsewhere (no /proc)
 * every reader answers undefined and the bench prints n/a.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ProcessMemory {
  /** VmRSS: resident now. */
  rssBytes: number;
  /** VmHWM: the highest resident size since the process started. */
  peakRssBytes: number;
}

export function processMemory(pid: number): ProcessMemory | undefined {
  const status = readProc(`/proc/${pid}/status`);
  if (status === undefined) return undefined;
  const bytes = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rssBytes: bytes('VmRSS'), peakRssBytes: bytes('VmHWM') };
}

/** User plus system CPU time of every thread of the process (worker threads included), in ms. */
export function processCpuMs(pid: number): number | undefined {
  const fields = statFields(pid);
  if (fields === undefined) return undefined;
  // utime and stime are fields 14 and 15 of stat, in USER_HZ ticks, which Linux fixes at 100 per second.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * The Node process that really runs a command started as `npm start`: npm, a shell and tsx's launcher are
 * Node processes too, each the parent of the next. It is the descendant running this Node binary that has
 * no such descendant of its own (the largest by RSS if there are several); `root` itself when it has none.
 */
export function innermostNodeProcess(root: number): number | undefined {
  const children = new Map<number, number[]>();
  for (const entry of readdirSafe('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const parent = Number(statFields(pid)?.[1]);
    if (Number.isInteger(parent)) (children.get(parent) ?? children.set(parent, []).get(parent)!).push(pid);
  }
  const node = executable(process.pid);
  const isNode = (pid: number): boolean => node !== undefined && executable(pid) === node;
  const leaves: number[] = [];
  const visit = (pid: number): boolean => {
    let hasNodeBelow = false;
    for (const child of children.get(pid) ?? []) hasNodeBelow = visit(child) || hasNodeBelow;
    if (isNode(pid) && !hasNodeBelow) leaves.push(pid);
    return hasNodeBelow || isNode(pid);
  };
  visit(root);
  if (leaves.length === 0) return isNode(root) ? root : undefined;
  return leaves.sort((a, b) => (processMemory(b)?.rssBytes ?? 0) - (processMemory(a)?.rssBytes ?? 0))[0];
}

/** stat's fields after the command name (which may hold spaces and parentheses): index 0 is field 3, the state. */
function statFields(pid: number): string[] | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  return stat
    .slice(stat.lastIndexOf(')') + 2)
    .trim()
    .split(' ');
}

function executable(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function readdirSafe(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

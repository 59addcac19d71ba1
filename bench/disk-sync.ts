/**
 * How long this machine takes to make a small write durable (write + fdatasync of 4 KB) in the temporary
 * folder the bench's data folder lives in: a 2xx waits for a durable commit, so this bounds what group commit
 * can do, and it differs between machines far more than CPU speed does.
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface DiskSyncFigures {
  samples: number;
  medianMs: number;
  p90Ms: number;
}

export function measureDiskSync(samples = 50): DiskSyncFigures {
  const dir = mkdtempSync(join(tmpdir(), 'foghorn-bench-sync-'));
  const fd = openSync(join(dir, 'probe'), 'w');
  const block = Buffer.alloc(4096, 1);
  const times: number[] = [];
  try {
    for (let index = 0; index < samples; index++) {
      const started = performance.now();
      writeSync(fd, block, 0, block.length, index * block.length);
      fdatasyncSync(fd);
      times.push(performance.now() - started);
    }
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  const at = (fraction: number): number => times[Math.min(times.length - 1, Math.ceil(fraction * times.length) - 1)] as number;
  return { samples, medianMs: at(0.5), p90Ms: at(0.9) };
}

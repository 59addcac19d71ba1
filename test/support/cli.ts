import { Readable } from 'node:stream';
import type { CliIo } from '../../cli/io.js';
import { main } from '../../cli/main.js';

export interface CliRun {
  code: number;
  /** What the command wrote, a line each. */
  out: string[];
  err: string[];
}

/**
 * `foghorn ARGS` in this process (no start-up cost), as a user would run it in `cwd` with only `env` set;
 * `stdin` is what is piped in, `progress` stands for a terminal's stderr.
 */
export async function runFoghorn(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; stdin?: string; progress?: (text: string) => void } = {},
): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: { ...options.env },
    cwd: options.cwd ?? process.cwd(),
    ...(options.stdin === undefined ? {} : { stdin: Readable.from([options.stdin]) }),
    ...(options.progress ? { progress: options.progress } : {}),
  };
  return { code: await main(args, io), out, err };
}

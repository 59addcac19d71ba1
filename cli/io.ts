import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/** Where a command writes; tests pass their own to read what was written. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Where a command reads input (`users add` reads a password); process.stdin when absent. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Writes to stderr as is (a progress bar redrawn with `\r`); present only when stderr is a terminal. */
  progress?: (text: string) => void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  cwd: process.cwd(),
  ...(process.stderr.isTTY ? { progress: (text: string) => void process.stderr.write(text) } : {}),
};

/** A command group: `foghorn <name> …`. Returns the exit code. */
export interface Command {
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Thrown for wrong usage; main prints the message and the command's usage, exit 2. */
export class UsageError extends Error {}

/**
 * The environment a command sees: `io.env`, plus what `<cwd>/.env` sets that it leaves unset. The same
 * parser (Node's util.parseEnv) and precedence as the runtime's loadDotEnv (functions/local/dotenv.ts,
 * which the CLI may not import): a variable already set wins; a missing file is no error.
 */
export function withDotEnv(io: CliIo): CliIo {
  let content: string;
  try {
    content = readFileSync(join(io.cwd, '.env'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return io;
    throw new Error(`could not read ${join(io.cwd, '.env')}: ${(error as Error).message}`, { cause: error });
  }
  const env: Record<string, string | undefined> = { ...io.env };
  for (const [name, value] of Object.entries(parseEnv(content))) if (value !== undefined && env[name] === undefined) env[name] = value;
  return { ...io, env };
}

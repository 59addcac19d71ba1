/** Where a command writes; tests pass their own to read what was written. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  cwd: process.cwd(),
};

/** A command group: `foghorn <name> …`. Returns the exit code. */
export interface Command {
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Thrown for wrong usage; main prints the message and the command's usage, exit 2. */
export class UsageError extends Error {}

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
  run(input: CommandInput, io: CliIo): Promise<number>;
}

/**
 * What commander parsed for the command (cli/program.js declares every option, once): the subcommand path and the
 * arguments, and each option by its name as declared there.
 */
export interface CommandInput {
  /** The subcommand path under the command's name, then its arguments: `rules validate DIR` → ['validate', DIR]. */
  positionals: string[];
  /** A `--name <value>` option: its value, undefined when not given. */
  string(name: string): string | undefined;
  /** A `--name` flag: whether it was given. */
  flag(name: string): boolean;
}

/**
 * The input of a command from what commander parsed. Reading an option cli/program.js does not declare for the
 * command, or as the other kind, is a bug in the command: it throws rather than read nothing.
 */
export function commandInput(parsed: {
  positionals: string[];
  values: Readonly<Record<string, string | boolean | undefined>>;
  declared: readonly string[];
}): CommandInput {
  const value = (name: string, kind: 'string' | 'boolean') => {
    if (!parsed.declared.includes(name)) throw new Error(`cli/program.js declares no option --${name} for this command`);
    const given = parsed.values[name];
    if (given !== undefined && typeof given !== kind)
      throw new Error(
        `option --${name} is declared as a ${typeof given === 'boolean' ? 'flag' : 'value'} in cli/program.js, read as a ${kind === 'boolean' ? 'flag' : 'value'}`,
      );
    return given;
  };
  return {
    positionals: [...parsed.positionals],
    string: (name) => value(name, 'string') as string | undefined,
    flag: (name) => value(name, 'boolean') === true,
  };
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

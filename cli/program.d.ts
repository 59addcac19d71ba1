/** What commander parsed for a command (cli/program.js declares every option once). */
export interface ParsedCommand {
  /** The subcommand path under the command's name, then its arguments: `rules validate DIR` → ['validate', DIR]. */
  positionals: string[];
  /** Each option given (or with a default), by its name in camelCase: a string, or true for a flag. */
  values: Record<string, string | boolean | undefined>;
  /** The names of the options the command declares (given or not). */
  declared: string[];
}

/** Where the command tree writes, and how it runs a command (in process, or after loading tsx). */
export interface ProgramHost {
  /** Text as commander writes it, newlines included. */
  out(text: string): void;
  err(text: string): void;
  /** Runs `foghorn <name> …` with what commander parsed and returns its exit code. */
  run(name: string, parsed: ParsedCommand): Promise<number>;
}

export function runProgram(argv: readonly string[], host: ProgramHost): Promise<number>;

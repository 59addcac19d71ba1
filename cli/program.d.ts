/** Where the command tree writes, and how it runs a command (in process, or after loading tsx). */
export interface ProgramHost {
  /** Text as commander writes it, newlines included. */
  out(text: string): void;
  err(text: string): void;
  /** Runs `foghorn <name> …args` and returns its exit code. */
  run(name: string, args: string[]): Promise<number>;
}

export function runProgram(argv: readonly string[], host: ProgramHost): Promise<number>;

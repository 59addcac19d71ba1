import { pathToFileURL } from 'node:url';
import { type CliIo, type Command, commandInput, processIo, UsageError, withDotEnv } from './io.js';
import { type ParsedCommand, runProgram } from './program.js';

/**
 * `foghorn`: the command tree is cli/program.js (help, version, options checked); each command group
 * lives in cli/commands/<name>.ts and is loaded only when used; to add one, add a line here and its
 * declaration in cli/program.js.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  rules: async () => (await import('./commands/rules.js')).rulesCommand,
  evaluate: async () => (await import('./commands/evaluate.js')).evaluateCommand,
  events: async () => (await import('./commands/events.js')).eventsCommand,
  backtest: async () => (await import('./commands/backtest.js')).backtestCommand,
  crisis: async () => (await import('./commands/crisis.js')).crisisCommand,
  approvals: async () => (await import('./commands/approvals.js')).approvalsCommand,
  posts: async () => (await import('./commands/posts.js')).postsCommand,
  assign: async () => (await import('./commands/assign.js')).assignCommand,
  audit: async () => (await import('./commands/audit.js')).auditCommand,
  analytics: async () => (await import('./commands/analytics.js')).analyticsCommand,
  users: async () => (await import('./commands/users.js')).usersCommand,
  data: async () => (await import('./commands/data-migrate.js')).dataCommand,
};

/** Runs one command group with what commander parsed; UsageError is exit 2, any other error exit 1. */
export async function runCommand(name: string, parsed: ParsedCommand, io: CliIo = processIo): Promise<number> {
  const load = COMMANDS[name];
  if (!load) {
    io.err(`foghorn: unknown command '${name}'`);
    return 2;
  }
  const command = await load();
  try {
    return await command.run(commandInput(parsed), withDotEnv(io));
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`foghorn ${name}: ${error.message}\n\nusage: ${command.usage}`);
      return 2;
    }
    io.err(`foghorn ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return runProgram(argv, {
    out: (text) => io.out(text.replace(/\n$/, '')),
    err: (text) => io.err(text.replace(/\n$/, '')),
    run: (name, parsed) => runCommand(name, parsed, io),
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}

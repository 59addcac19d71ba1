import { pathToFileURL } from 'node:url';
import { type CliIo, type Command, processIo, UsageError } from './io.js';

/**
 * `foghorn`: a small dispatcher. Each command group lives in cli/commands/<name>.ts and is loaded
 * only when used; to add one, add a line here.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  rules: async () => (await import('./commands/rules.js')).rulesCommand,
  evaluate: async () => (await import('./commands/evaluate.js')).evaluateCommand,
  crisis: async () => (await import('./commands/crisis.js')).crisisCommand,
  approvals: async () => (await import('./commands/approvals.js')).approvalsCommand,
  audit: async () => (await import('./commands/audit.js')).auditCommand,
};

async function usage(io: CliIo): Promise<void> {
  io.err('usage: foghorn <command> [options]\n\ncommands:');
  for (const [name, load] of Object.entries(COMMANDS)) io.err(`  ${name.padEnd(10)} ${(await load()).summary}`);
}

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    await usage(io);
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.err(`foghorn: unknown command '${name}'`);
    await usage(io);
    return 2;
  }
  const command = await load();
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`foghorn ${name}: ${error.message}\n\nusage: ${command.usage}`);
      return 2;
    }
    io.err(`foghorn ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}

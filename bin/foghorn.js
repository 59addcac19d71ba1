#!/usr/bin/env node
// The command tree (help, version, option checks) is plain JavaScript and answers at once; the commands are
// TypeScript, which tsx (a runtime dependency) compiles on the fly, so it is loaded only to run one.
import { runProgram } from '../cli/program.js';

// `foghorn … | head` closes the pipe early: stop quietly, as other command-line tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await runProgram(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  run: async (name, parsed) => {
    const { register } = await import('tsx/esm/api');
    register();
    const { runCommand } = await import('../cli/main.ts');
    return runCommand(name, parsed);
  },
});

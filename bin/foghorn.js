#!/usr/bin/env node
// The `foghorn` CLI is TypeScript; tsx (a runtime dependency) compiles it on the fly.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

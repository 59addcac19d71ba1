import { capacityCommand } from './capacity-command.js';

// The entry of the bundle capacity/main.ts builds: the model runs as bundled code, as the Lambda functions do.
process.exitCode = await capacityCommand(process.argv.slice(2), { out: (line) => console.log(line), err: (line) => console.error(line) });

import { resolve } from 'node:path';
import { MigrationRefusedError, type MigrationReport, migrateDataFolder } from '../../functions/app/data-migration.js';
import { type CliIo, type Command, UsageError } from '../io.js';

const USAGE = 'foghorn data migrate [--data DIR] [--json]';

/** The data folder: --data, else FOGHORN_DATA, else ./.foghorn (as `npm start` reads it). */
function dataDirFrom(given: string | undefined, io: CliIo): string {
  return resolve(io.cwd, given ?? (io.env.FOGHORN_DATA || '.foghorn'));
}

/** `foghorn data migrate`: an earlier Foghorn's dynalite data (`<data>/dynamodb/`) into a fresh embedded store. */
export const dataCommand: Command = {
  summary: 'copy the dynalite data of an earlier Foghorn into a fresh embedded store',
  usage: USAGE,
  async run(input, io) {
    const values = { data: input.string('data'), json: input.flag('json') };
    const [verb, ...rest] = input.positionals;
    if (verb !== 'migrate')
      throw new UsageError(verb === undefined ? 'say what to do: migrate' : `unknown data command '${verb}' (migrate)`);
    if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
    const dataDir = dataDirFrom(values.data, io);
    let report: MigrationReport;
    try {
      report = await migrateDataFolder(dataDir);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (values.json) io.out(JSON.stringify({ migrated: false, refused: error instanceof MigrationRefusedError, error: message }));
      const leftAsItWas = 'the data folder is as it was';
      io.err(`foghorn data migrate: ${message}${error instanceof MigrationRefusedError ? '' : ` (${leftAsItWas})`}`);
      return 1;
    }
    if (values.json) {
      io.out(JSON.stringify({ migrated: true, ...report }));
      return 0;
    }
    for (const line of summary(report)) io.out(line);
    return 0;
  },
};

function summary(report: MigrationReport): string[] {
  const rows = (entries: Array<[string, string]>) => {
    const width = Math.max(0, ...entries.map(([name]) => name.length));
    return entries.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`);
  };
  const lines = [`migrated ${report.source} into ${report.target} (${report.scanned} items read)`, 'copied:'];
  const copied = Object.entries(report.copied);
  lines.push(...(copied.length > 0 ? rows(copied.map(([kind, count]) => [kind, String(count)])) : ['  nothing']));
  if (report.skipped.length > 0) {
    lines.push('not copied:');
    lines.push(...rows(report.skipped.map(({ kind, count, reason }) => [kind, `${count}: ${reason}`])));
  }
  const unrecognised = Object.entries(report.unrecognised);
  if (unrecognised.length > 0) {
    lines.push(`not recognised (left in ${report.source}, not copied), by key prefix:`);
    lines.push(...rows(unrecognised.map(([prefix, count]) => [prefix, String(count)])));
  }
  lines.push(
    `${report.source} is unchanged. Start Foghorn as usual (FOGHORN_STORE unset) to use the embedded store; once you no longer need the dynalite data, move ${report.source} away (the start-up notice stops when it is gone).`,
  );
  return lines;
}

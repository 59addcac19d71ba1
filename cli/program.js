/**
 * The `foghorn` command tree (commander): names, help, options and exit codes. Plain JavaScript on
 * purpose: bin/foghorn.js answers `--help`, `<command> --help` and `--version` from here without
 * loading tsx or any command, so they start at Node's speed. This is the one declaration of every
 * option: commander parses and checks them, and the command (cli/commands/<name>.ts) gets what it
 * parsed: the subcommand and arguments, and the option values.
 * Exit codes: 0 done (and help, version), 1 the command failed, 2 wrong usage.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const URL_OPTION = ['--url <url>', 'the running Foghorn (default: FOGHORN_URL, else http://127.0.0.1:$FOGHORN_PORT, else port 8787)'];
const CONFIG_OPTION = ['--config <file>', 'team config (default: FOGHORN_CONFIG, else the nearest foghorn.config.yaml)'];
const SINCE = 'from this time on: an ISO time, or a duration back from now such as 30m, 24h or 7d';
const UNTIL = 'before this time: an ISO time, or a duration back from now';
const RULES_DIR = ['[dir]', 'the rules folder (default: FOGHORN_RULES, else ./rules)'];

/**
 * @param {import('./program.d.ts').ProgramHost} host where help and errors are written
 * @param {(name: string, command: Command) => Promise<void>} dispatch runs `foghorn <name> …` with what `command` parsed
 * @returns {Command}
 */
function buildProgram(host, dispatch) {
  /** A command's action: the parsed command is the last parameter commander passes. */
  const run =
    (name) =>
    (...params) =>
      dispatch(name, params.at(-1));
  // Subcommands copy these settings when they are made, so they come first.
  const program = new Command('foghorn')
    .configureOutput({
      writeOut: (text) => host.out(text),
      writeErr: (text) => host.err(text),
      outputError: (text, write) => write(`foghorn: ${text.replace(/^error: /, '')}`),
    })
    .description('Foghorn: check and rehearse rules, and operate a running Foghorn')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .showSuggestionAfterError()
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  program.addHelpText(
    'after',
    '\nExit codes: 0 done, 1 the command failed (invalid rules, failed tests, an API error), 2 wrong usage.\nThe CLI reads ./.env as the runtime does; variables already set win.',
  );

  const rules = program
    .command('rules')
    .summary('validate rule files, or run their tests')
    .description('Validate rule files, or run their tests.');
  rules
    .command('validate')
    .description('Every problem with file, line and the path inside the rule; exit 1 on any.')
    .argument(...RULES_DIR)
    .option(...CONFIG_OPTION)
    .option('--json', 'print the result as one JSON object on stdout: { valid, files, rules, problems }')
    .addOption(new Option('--format <format>', 'how problems are printed').choices(['text', 'github', 'json']).default('text'))
    .addHelpText('after', '\n--format github prints GitHub Actions annotations (::error file=…,line=…::…) so CI shows them on the line.')
    .action(run('rules'));
  rules
    .command('test')
    .description("Run every rule's `tests:`; exit 1 on a failure.")
    .argument(...RULES_DIR)
    .option(...CONFIG_OPTION)
    .option('--json', 'print the result as one JSON object on stdout: { passed, failed, results, untested }')
    .action(run('rules'));

  program
    .command('evaluate')
    .summary('evaluate events (a file or stdin) against a rules folder, with what would really happen')
    .description(
      "Evaluate events in order against a rules folder; one JSON line per event, each action with its fate. Events are JSON lines or one JSON array; fields left out get a rule test's defaults (platform test, kind message, author test-author, channel test-channel, times --now or 2026-01-05T10:00:00Z).",
    )
    .option('--rules <dir>', 'the rules folder (default: FOGHORN_RULES, else ./rules)')
    .option('--events <file>', 'the events: a file of JSON lines or a JSON array, or - for stdin')
    .option('--explain', 'add each condition with its fact value and outcome')
    .option('--now <iso-time>', 'evaluate every event at this time (default: its receivedAt)')
    .option(...CONFIG_OPTION)
    .action(run('evaluate'));

  const events = program
    .command('events')
    .summary('export stored events as JSON lines (from a running Foghorn or its data folder)')
    .description('The events a Foghorn stored.');
  events
    .command('export')
    .description(
      "Print the stored events, one canonical event a line, oldest first (foghorn events export --since 7d > events.jsonl): from the running Foghorn's API, or with --data from a data folder's embedded store while no runtime holds it.",
    )
    .option('--since <time>', SINCE)
    .option('--until <time>', UNTIL)
    .option('--platform <name>', 'only this platform (x, telegram, generic, …)')
    .option(...URL_OPTION)
    .option('--data <dir>', 'read this data folder instead of asking a running Foghorn (refused while a runtime holds it)')
    .action(run('events'));

  program
    .command('backtest')
    .summary('replay stored events through a changed rule set and the live one, per rule')
    .description(
      'Replay an archive of events through the rules in --rules DIR and through the live ones, as evaluate does (crisis mode, limits, guards; nothing sent), and print per rule: would fire, fires now, the difference, with sample events that differ.',
    )
    .requiredOption('--rules <dir>', 'the changed rule set')
    .option('--live <dir>', 'the live rule set (default: the rules folder the local runtime reads: FOGHORN_RULES, else ./rules)')
    .option(
      '--events <file>',
      'replay this file (JSON lines or a JSON array, as events export writes it), or - for stdin, instead of fetching',
    )
    .option('--since <time>', `${SINCE} (fetching: default 7d)`)
    .option('--until <time>', UNTIL)
    .option('--platform <name>', 'only this platform')
    .option(...URL_OPTION)
    .option('--data <dir>', 'fetch from this data folder, as events export --data does')
    .option('--config <file>', 'team config of the changed rules (default: the nearest foghorn.config.yaml)')
    .option(
      '--json',
      'print the report as one JSON object: { events, rules: [{ rule, wouldFire, firesNow, difference, newlyFiring, noLongerFiring }] }',
    )
    .addHelpText('after', '\nA progress bar is drawn on stderr when stderr is a terminal.')
    .action(run('backtest'));

  program
    .command('crisis')
    .summary('show or switch crisis mode (who and why are audited)')
    .description('Show or switch crisis mode of the running Foghorn; who and why go into the audit log.')
    .argument('[verb]', 'status, on or off', 'status')
    .option('--who <name>', 'who switches (required for on and off)')
    .option('--why <text>', 'why (required for on and off)')
    .option('--json', 'print the answer as JSON')
    .option(...URL_OPTION)
    .allowExcessArguments()
    .action(run('crisis'));

  program
    .command('approvals')
    .summary('list held actions; approve or reject them')
    .description('The approval queue of the running Foghorn: list held actions, approve (sent once) or reject them.')
    .usage('[list] [--status STATUS] [--json] | approve ID --who NAME [--note TEXT] | reject ID --who NAME --reason TEXT')
    .argument('[verb]', 'list, approve or reject', 'list')
    .argument('[id]', 'the approval id (approve, reject)')
    .option('--status <status>', 'pending, approved, rejected, expired or all (default: pending)')
    .option('--limit <n>', 'at most this many (default: 100)')
    .option('--who <name>', 'who decides (approve, reject)')
    .option('--note <text>', 'a note with an approval')
    .option('--reason <text>', 'why it is rejected (reject)')
    .option('--json', 'one JSON object a line')
    .option(...URL_OPTION)
    .allowExcessArguments()
    .action(run('approvals'));

  program
    .command('posts')
    .summary('schedule posts; list, cancel and release them')
    .description(
      'Scheduled posts of the running Foghorn: published at their minute through the outgoing guard; crisis mode suspends them until a person releases them.',
    )
    .usage(
      'schedule --channel NAME --at ISO-TIME --text TEXT [--lang TAG] [--approval] | list [--status STATUS] | cancel ID | release ID [--at ISO-TIME] | release --all-suspended',
    )
    .argument('[verb]', 'schedule, list, cancel or release', 'list')
    .argument('[id]', 'the post id (cancel, release)')
    .option('--channel <name>', 'a channel declared under channels: in foghorn.config.yaml (schedule)')
    .option('--at <time>', 'the minute: an ISO time with its zone (schedule; release: a new minute)')
    .option('--text <text>', 'the text to post (schedule)')
    .option('--lang <tag>', 'its language (schedule)')
    .option('--approval', 'hold it for approval at its minute (schedule)')
    .option('--status <status>', 'scheduled, suspended, publishing, published, cancelled or all (list; default: all)')
    .option('--limit <n>', 'at most this many (list; default: 100)')
    .option('--why <text>', 'why it is cancelled (cancel)')
    .option('--all-suspended', 'release every suspended post (release)')
    .option('--who <name>', 'who decides, for the audit log (default: FOGHORN_WHO; locally the runtime names the caller)')
    .option('--json', 'one JSON object a line')
    .option(...URL_OPTION)
    .allowExcessArguments()
    .action(run('posts'));

  program
    .command('assign')
    .summary("give an event's conversation to a person or a team")
    .description('Reassigns the conversation of an event in the running Foghorn (a person of people:, or a team of teams:), audited.')
    .usage('EVENT_ID --person NAME | --team NAME [--note TEXT]')
    .argument('[eventId]', 'the event id (see: foghorn events list)')
    .option('--person <name>', 'a person under people: in foghorn.config.yaml')
    .option('--team <name>', 'a team under teams: (a member in hours is picked by its strategy)')
    .option('--note <text>', 'why, for the audit log')
    .option('--who <name>', 'who decides, for the audit log (default: FOGHORN_WHO; locally the runtime names the caller)')
    .option('--json', 'print the answer as one JSON object')
    .option(...URL_OPTION)
    .allowExcessArguments()
    .action(run('assign'));

  program
    .command('audit')
    .summary('show the audit log (actions, approvals, crisis switches, escalations)')
    .description('The audit log of the running Foghorn, newest first.')
    .option('--limit <n>', 'at most this many entries (default: 50)')
    .option('--json', 'one JSON object a line')
    .option(...URL_OPTION)
    .allowExcessArguments()
    .action(run('audit'));

  program
    .command('analytics')
    .summary('show response-time analytics (first response p50/p90, share within target, automated vs human)')
    .description(
      'Response-time analytics of the running Foghorn: first response p50 and p90 per group, the share within analytics.responseTarget, automated vs human answers, SLA breaches and the top rules.',
    )
    .option('--from <time>', 'an ISO time, or a duration back from --to such as 24h, 7d or 30d (default: 24h)')
    .option('--to <time>', 'an ISO time, or a duration back from now (default: now)')
    .addOption(
      new Option('--by <dimension>', 'how the groups are formed (team, person: who owned the conversation when it was first answered)')
        .choices(['platform', 'channel', 'lang', 'team', 'person'])
        .default('platform'),
    )
    .option('--json', 'print the report as one JSON object')
    .option(...URL_OPTION)
    .allowExcessArguments()
    .action(run('analytics'));

  const users = program
    .command('users')
    .summary('add a console user (prints the entry to paste into foghorn.config.yaml)')
    .description('Console users: names, roles and password hashes for console.users in foghorn.config.yaml.');
  users
    .command('add')
    .description(
      'Read a password from stdin (not shown at a terminal; a pipe works) and print the console.users entry to paste into foghorn.config.yaml.',
    )
    .argument('<name>', 'the user name: letters or digits, then letters, digits, ".", "_", "@" or "-"')
    .addOption(new Option('--role <role>', 'what the user may do').choices(['viewer', 'agent', 'lead', 'admin']).makeOptionMandatory())
    .addHelpText(
      'after',
      '\nRoles: viewer reads everything; agent also approves, edits, rejects and redrives; lead also switches crisis mode; admin may do anything.\nExample: printf %s "$PASSWORD" | foghorn users add maya --role lead',
    )
    .action(run('users'));

  const data = program
    .command('data')
    .summary('migrate the data folder of an earlier Foghorn (dynalite) to the embedded store')
    .description("The local data folder (FOGHORN_DATA): migrate an earlier Foghorn's dynalite data into the embedded store.");
  data
    .command('migrate')
    .description(
      'Copy <data>/dynamodb/ (dynalite, FOGHORN_STORE=dynamodb) into a fresh <data>/embedded/, with its history, queues and dead letters; <data>/dynamodb/ is left exactly as it was. Refused while a runtime uses the folder, or when <data>/embedded/ already holds data; exit 1 on failure, the folder left as it was.',
    )
    .option('--data <dir>', 'the data folder (default: FOGHORN_DATA, else ./.foghorn)')
    .option('--json', 'print the summary as one JSON object: { migrated, source, target, scanned, copied, skipped, unrecognised }')
    .action(run('data'));

  return program;
}

/**
 * What a command gets: the subcommand path under its name, then its arguments (`rules validate DIR` → ['validate',
 * DIR]), and the option values commander parsed (defaults included; absent options are absent).
 * @param {Command} command
 * @returns {import('./program.d.ts').ParsedCommand}
 */
function parsedOf(command) {
  const path = [];
  for (let at = command; at.parent?.parent; at = at.parent) path.unshift(at.name());
  return {
    positionals: [...path, ...command.args],
    values: { ...command.opts() },
    declared: command.options.map((option) => option.attributeName()),
  };
}

/**
 * Runs `foghorn ARGV`: help and version here, a command through `host.run(name, parsed)`.
 * @param {readonly string[]} argv
 * @param {import('./program.d.ts').ProgramHost} host
 * @returns {Promise<number>}
 */
export async function runProgram(argv, host) {
  let code = 0;
  const program = buildProgram(host, async (name, command) => {
    code = await host.run(name, parsedOf(command));
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
}

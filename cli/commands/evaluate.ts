import { existsSync } from 'node:fs';
import { dryRun } from '../../functions/app/dry-run.js';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { type CompiledRules, compileSources, DEFAULT_TEST_NOW, RuleValidationError, readRuleSources } from '../../functions/rules/index.js';
import { openEventInput, readJsonInput, writtenEvent } from '../event-input.js';
import { type CliIo, type Command, UsageError } from '../io.js';
import { configFor, isoOption, rulesDirFrom } from './options.js';

const USAGE = 'foghorn evaluate --rules DIR --events FILE|- [--explain] [--now ISO-TIME] [--config FILE]';

/** The rules folder compiled with its team config; invalid rules are a RuleValidationError (exit 1, every problem). */
export async function compileRulesDir(dir: string, config: string | undefined, io: CliIo): Promise<CompiledRules> {
  if (!existsSync(dir)) throw new UsageError(`rules folder ${dir} does not exist`);
  const compiled = compileSources(await readRuleSources(dir), configFor(dir, config, io), { extensions: ruleLanguage });
  if (compiled.problems.length > 0) throw new RuleValidationError(compiled.problems);
  return compiled;
}

/**
 * Evaluates events (JSON lines or one JSON array, a file or stdin) in order with one fresh in-memory state, so
 * limits apply across the input. An event may leave out what a rule test's event may (event-input.ts); its times
 * default to --now, else to a rule test's default time. Each event is evaluated at --now, else at its receivedAt,
 * and each action goes through what the runtime's act stage would do (crisis mode, the outgoing guard, the length
 * guard, approvals), recorded and never sent: every action says its fate (app/dry-run.ts).
 */
export const evaluateCommand: Command = {
  summary: 'evaluate events (a file or stdin) against a rules folder',
  usage: USAGE,
  async run(options, io) {
    const given = options.string('events');
    if (given === undefined) throw new UsageError('--events FILE is required (- reads stdin)');
    const explain = options.flag('explain');
    const fixedNow = isoOption('now', options.string('now'));
    const input = openEventInput(given, io);
    const compiled = await compileRulesDir(rulesDirFrom(options.string('rules'), io), options.string('config'), io);
    const run = dryRun(compiled);
    const defaultTime = fixedNow ?? new Date(DEFAULT_TEST_NOW);
    let bad = 0;
    for await (const item of readJsonInput(input)) {
      if ('error' in item) {
        io.err(`${item.where}: ${item.error}`);
        bad++;
        continue;
      }
      const written = writtenEvent(item.value, item.ordinal, defaultTime);
      if ('problems' in written) {
        io.err(`${item.where}: not an event: ${written.problems.join('; ')}`);
        bad++;
        continue;
      }
      const { event } = written;
      // The sweep's lines (breaches, resolves) come first, marked, as the one-minute sweep would have produced them by now.
      for (const out of await run.evaluate(event, fixedNow ?? new Date(event.receivedAt), explain)) io.out(JSON.stringify(out));
    }
    return bad > 0 ? 1 : 0;
  },
};

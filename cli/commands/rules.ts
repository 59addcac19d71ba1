import { existsSync } from 'node:fs';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { compileSources, formatProblem, type RuleTestResult, readRuleSources, runRuleTests } from '../../functions/rules/index.js';
import { type CliIo, type Command, UsageError } from '../io.js';
import { configFor, parse, rulesDirFrom } from './options.js';

const USAGE = 'foghorn rules validate [DIR] [--config FILE]\n       foghorn rules test [DIR] [--config FILE]';

async function compileDir(args: string[], io: CliIo) {
  const { values, positionals } = parse(args, { config: { type: 'string' } });
  if (positionals.length > 1) throw new UsageError('give at most one rules folder');
  const dir = rulesDirFrom(positionals[0], io);
  if (!existsSync(dir)) throw new UsageError(`rules folder ${dir} does not exist`);
  const config = configFor(dir, values.config, io);
  const sources = await readRuleSources(dir);
  return { sources, compiled: compileSources(sources, config, { extensions: ruleLanguage }) };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

async function validate(args: string[], io: CliIo): Promise<number> {
  const { sources, compiled } = await compileDir(args, io);
  for (const problem of compiled.problems) io.err(formatProblem(problem));
  if (compiled.problems.length > 0) {
    io.err(`\n${plural(compiled.problems.length, 'problem')} in ${plural(sources.length, 'file')}`);
    return 1;
  }
  io.out(`${plural(compiled.rules.length, 'rule')} in ${plural(sources.length, 'file')}: valid`);
  return 0;
}

function report(result: RuleTestResult, io: CliIo): void {
  if (result.passed) {
    io.out(`  ✓ ${result.ruleId} › ${result.name}`);
  } else {
    io.out(`  ✗ ${result.ruleId} › ${result.name}  (${result.file})`);
    for (const failure of result.failures) io.out(`      ${failure}`);
  }
}

async function test(args: string[], io: CliIo): Promise<number> {
  const { compiled } = await compileDir(args, io);
  if (compiled.problems.length > 0) {
    for (const problem of compiled.problems) io.err(formatProblem(problem));
    io.err(`\nthe rule set is invalid (${plural(compiled.problems.length, 'problem')}); fix it before testing`);
    return 1;
  }
  const results = await runRuleTests(compiled, { extensions: ruleLanguage });
  for (const result of results) report(result, io);
  const failed = results.filter((result) => !result.passed).length;
  const untested = compiled.rules.filter((rule) => rule.tests.length === 0).map((rule) => rule.id);
  if (untested.length > 0) io.out(`\nrules without tests: ${untested.join(', ')}`);
  io.out(`\n${results.length - failed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

export const rulesCommand: Command = {
  summary: 'validate rule files, or run their tests',
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'validate') return validate(rest, io);
    if (sub === 'test') return test(rest, io);
    throw new UsageError(sub === undefined ? 'name a subcommand: validate or test' : `unknown subcommand '${sub}'`);
  },
};

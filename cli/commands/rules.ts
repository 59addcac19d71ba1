import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import {
  compileSources,
  formatProblem,
  type RuleProblem,
  type RuleTestResult,
  readRuleSources,
  runRuleTests,
} from '../../functions/rules/index.js';
import { type CliIo, type Command, type CommandInput, UsageError } from '../io.js';
import { configFor, rulesDirFrom } from './options.js';

const USAGE =
  'foghorn rules validate [DIR] [--config FILE] [--json | --format text|github|json]\n       foghorn rules test [DIR] [--config FILE] [--json]';

/** Reads and compiles the rules folder (`positionals`: the folder, if given). */
async function compileDir(positionals: string[], input: CommandInput, io: CliIo) {
  if (positionals.length > 1) throw new UsageError('give at most one rules folder');
  const dir = rulesDirFrom(positionals[0], io);
  if (!existsSync(dir)) throw new UsageError(`rules folder ${dir} does not exist`);
  const config = configFor(dir, input.string('config'), io);
  const sources = await readRuleSources(dir);
  return { sources, compiled: compileSources(sources, config, { extensions: ruleLanguage }) };
}

/** A GitHub Actions workflow command's escaping: data escapes %, CR and LF; properties also : and ,. */
function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}
function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

/** One problem as a GitHub Actions annotation, so CI shows it on the line of the file. */
export function githubAnnotation(problem: RuleProblem, cwd: string): string {
  const file = relative(cwd, problem.file) || problem.file;
  const where = [`file=${escapeProperty(file)}`, ...(problem.line > 0 ? [`line=${problem.line}`] : [])];
  const title = ['foghorn', problem.ruleId, problem.path].filter((part) => part !== undefined && part !== '').join(' › ');
  return `::error ${[...where, `title=${escapeProperty(title)}`].join(',')}::${escapeData(problem.message)}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

async function validate(positionals: string[], input: CommandInput, io: CliIo): Promise<number> {
  const { sources, compiled } = await compileDir(positionals, input, io);
  const format = input.flag('json') ? 'json' : (input.string('format') ?? 'text');
  if (format !== 'text' && format !== 'github' && format !== 'json')
    throw new UsageError(`unknown --format '${format}' (text, github, json)`);
  if (format === 'json') {
    const problems = compiled.problems;
    io.out(JSON.stringify({ valid: problems.length === 0, files: sources.length, rules: compiled.rules.length, problems }));
    return problems.length > 0 ? 1 : 0;
  }
  if (format === 'github') for (const problem of compiled.problems) io.out(githubAnnotation(problem, io.cwd));
  else for (const problem of compiled.problems) io.err(formatProblem(problem));
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
    if (result.lang !== undefined) io.out(`      lang: ${result.lang}`);
  }
}

async function test(positionals: string[], input: CommandInput, io: CliIo): Promise<number> {
  const { compiled } = await compileDir(positionals, input, io);
  if (input.flag('json')) return testJson(compiled, io);
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

/** `rules test --json`: one object with every result; the same exit codes as the text output. */
async function testJson(compiled: Awaited<ReturnType<typeof compileDir>>['compiled'], io: CliIo): Promise<number> {
  if (compiled.problems.length > 0) {
    io.out(JSON.stringify({ valid: false, problems: compiled.problems, passed: 0, failed: 0, results: [], untested: [] }));
    return 1;
  }
  const results = await runRuleTests(compiled, { extensions: ruleLanguage });
  const failed = results.filter((result) => !result.passed).length;
  const untested = compiled.rules.filter((rule) => rule.tests.length === 0).map((rule) => rule.id);
  io.out(JSON.stringify({ valid: true, problems: [], passed: results.length - failed, failed, results, untested }));
  return failed > 0 ? 1 : 0;
}

export const rulesCommand: Command = {
  summary: 'validate rule files, or run their tests',
  usage: USAGE,
  async run(input, io) {
    const [sub, ...rest] = input.positionals;
    if (sub === 'validate') return validate(rest, input, io);
    if (sub === 'test') return test(rest, input, io);
    throw new UsageError(sub === undefined ? 'name a subcommand: validate or test' : `unknown subcommand '${sub}'`);
  },
};

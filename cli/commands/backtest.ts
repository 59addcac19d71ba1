import { resolve } from 'node:path';
import type { CanonicalEvent } from '../../functions/core/event.js';
import { DEFAULT_TEST_NOW } from '../../functions/rules/index.js';
import { type BacktestReport, backtest, type RuleComparison } from '../backtest.js';
import { type ArchiveQuery, readArchive } from '../event-archive.js';
import { openEventInput, readJsonInput, writtenEvent } from '../event-input.js';
import { type CliIo, type Command, UsageError } from '../io.js';
import { table } from './analytics.js';
import { compileRulesDir } from './evaluate.js';
import { rulesDirFrom, timeOption } from './options.js';
import { apiCredentialFor, callRuntime, runtimeUrl } from './runtime-api.js';

const USAGE =
  'foghorn backtest --rules DIR [--live DIR] [--since TIME|DURATION] [--until TIME|DURATION] [--platform NAME] [--events FILE|- | --url URL | --data DIR] [--config FILE] [--json]';

/** The window fetched when no --since is given (and no --events file: a file is replayed whole). */
const DEFAULT_SINCE = '7d';

/**
 * `foghorn backtest`: replays an archive of events (an exported file, stdin, or fetched as `events export` fetches)
 * through a changed rule set and through the live one, and prints per rule how many events it would fire on, how
 * many it fires on now, the difference, and a few of the events that differ.
 */
export const backtestCommand: Command = {
  summary: 'replay stored events through a changed rule set and the live one, per rule',
  usage: USAGE,
  async run(input, io) {
    const values = {
      rules: input.string('rules'),
      live: input.string('live'),
      since: input.string('since'),
      until: input.string('until'),
      platform: input.string('platform'),
      events: input.string('events'),
      url: input.string('url'),
      data: input.string('data'),
      config: input.string('config'),
    };
    if (values.rules === undefined) throw new UsageError('--rules DIR (the changed rule set) is required');
    const sources = [values.events, values.url, values.data].filter((given) => given !== undefined);
    if (sources.length > 1) throw new UsageError('give one of --events, --url and --data');
    const now = new Date();
    const query: ArchiveQuery = {
      ...optional('since', timeOption('since', values.since ?? (values.events === undefined ? DEFAULT_SINCE : undefined), now)),
      ...optional('until', timeOption('until', values.until, now)),
      ...optional('platform', values.platform),
    };
    if (query.since !== undefined && query.until !== undefined && query.since >= query.until)
      throw new UsageError(`--until (${query.until}) must be later than --since (${query.since})`);
    const nextDir = resolve(io.cwd, values.rules);
    const liveDir = values.live !== undefined ? resolve(io.cwd, values.live) : rulesDirFrom(undefined, io);
    if (nextDir === liveDir)
      io.err(`foghorn backtest: the changed rules and the live rules are the same folder (${nextDir}): give the live ones with --live DIR`);
    const next = await compileRulesDir(nextDir, values.config, io);
    const live = await compileRulesDir(liveDir, undefined, io);

    const progress = progressBar(io);
    let events: CanonicalEvent[];
    let from: string;
    if (values.events !== undefined) {
      const read = await readEventsFile(values.events, query, io);
      if (read === undefined) return 1;
      events = read;
      from = values.events === '-' ? 'stdin' : resolve(io.cwd, values.events);
    } else {
      ({ events, from } = await readArchive(optionalSource(values), query, io, (count) => progress.text(`reading events… ${count}`)));
      if (values.live === undefined && values.data === undefined) await warnIfNotInForce(live.rules, values.url, io);
    }
    const report = await backtest(events, next, live, { onProgress: (done, total) => progress.bar('replaying', done, total) });
    progress.done();
    if (input.flag('json')) {
      io.out(
        JSON.stringify({ from, since: query.since ?? null, until: query.until ?? null, newRules: nextDir, liveRules: liveDir, ...report }),
      );
      return 0;
    }
    for (const line of backtestLines(report, { from, newRules: nextDir, liveRules: liveDir })) io.out(line);
    return 0;
  },
};

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function optionalSource(values: { url?: string; data?: string }) {
  return { ...optional('url', values.url), ...optional('data', values.data) };
}

/** The events of --events FILE|-, within the window; undefined (after saying which are wrong) when any is not an event. */
async function readEventsFile(given: string, query: ArchiveQuery, io: CliIo): Promise<CanonicalEvent[] | undefined> {
  const events: CanonicalEvent[] = [];
  let bad = 0;
  for await (const item of readJsonInput(openEventInput(given, io))) {
    const written = 'error' in item ? { problems: [item.error] } : writtenEvent(item.value, item.ordinal, new Date(DEFAULT_TEST_NOW));
    if ('problems' in written) {
      io.err(`${item.where}: not an event: ${written.problems.join('; ')}`);
      bad++;
      continue;
    }
    const { event } = written;
    const at = new Date(event.receivedAt).toISOString();
    if (query.since !== undefined && at < query.since) continue;
    if (query.until !== undefined && at >= query.until) continue;
    if (query.platform !== undefined && event.platform !== query.platform) continue;
    events.push(event);
  }
  if (bad === 0) return events;
  io.err(`foghorn backtest: ${bad} of the input's items are not events; nothing was replayed`);
  return undefined;
}

/** Says so on stderr when the running Foghorn has other rules in force than the folder taken as the live rules. */
async function warnIfNotInForce(liveRules: ReadonlyArray<{ id: string }>, url: string | undefined, io: CliIo): Promise<void> {
  const base = runtimeUrl(url, io);
  let inForce: string[];
  try {
    const answer = await callRuntime<{ rules: Array<{ id: string }> }>(base, 'GET', '/api/rules', undefined, apiCredentialFor(base, io));
    inForce = answer.rules.map((rule) => rule.id);
  } catch {
    return;
  }
  const folder = new Set(liveRules.map((rule) => rule.id));
  const missing = inForce.filter((id) => !folder.has(id));
  const extra = [...folder].filter((id) => !inForce.includes(id));
  if (missing.length === 0 && extra.length === 0) return;
  io.err(
    `foghorn backtest: the live rules folder does not hold the rules in force at ${base}${missing.length > 0 ? `; in force, not in the folder: ${missing.join(', ')}` : ''}${extra.length > 0 ? `; in the folder, not in force: ${extra.join(', ')}` : ''} (give the live rules with --live DIR)`,
  );
}

function signed(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}

/** One line of text for a sample: the event id and the start of its text. */
function sampleLine(sample: { id: string; text: string }): string {
  const text = sample.text.replace(/\s+/g, ' ').trim();
  return `    ${sample.id}  ${text.length > 80 ? `${text.slice(0, 79)}…` : text}`;
}

/** The report as text: where it replayed from, the table per rule, then samples of the events that differ. */
export function backtestLines(report: BacktestReport, where: { from: string; newRules: string; liveRules: string }): string[] {
  const span = report.first ? ` (received ${report.first} to ${report.last})` : '';
  const lines = [
    `replayed ${report.events} event${report.events === 1 ? '' : 's'} from ${where.from}${span}`,
    `new rules: ${where.newRules}; live rules: ${where.liveRules}`,
    '',
    ...table([
      ['rule', 'would fire', 'fires now', 'difference', ''],
      ...report.rules.map((rule) => [rule.rule, String(rule.wouldFire), String(rule.firesNow), signed(rule.difference), note(rule)]),
    ]),
  ];
  for (const rule of report.rules) {
    if (rule.newlyFiring.count > 0) {
      lines.push('', `${rule.rule}: would fire, does not now (${rule.newlyFiring.count}):`, ...rule.newlyFiring.samples.map(sampleLine));
      if (rule.newlyFiring.count > rule.newlyFiring.samples.length)
        lines.push(`    … and ${rule.newlyFiring.count - rule.newlyFiring.samples.length} more`);
    }
    if (rule.noLongerFiring.count > 0) {
      lines.push('', `${rule.rule}: fires now, would not (${rule.noLongerFiring.count}):`, ...rule.noLongerFiring.samples.map(sampleLine));
      if (rule.noLongerFiring.count > rule.noLongerFiring.samples.length)
        lines.push(`    … and ${rule.noLongerFiring.count - rule.noLongerFiring.samples.length} more`);
    }
  }
  return lines;
}

function note(rule: RuleComparison): string {
  if (rule.in === 'new') return 'new rule';
  if (rule.in === 'live') return 'removed';
  return rule.newlyFiring.count > 0 && rule.noLongerFiring.count > 0 ? `+${rule.newlyFiring.count} -${rule.noLongerFiring.count}` : '';
}

/** A progress bar on stderr, only when stderr is a terminal (io.progress); redrawn at most once a percent. */
function progressBar(io: CliIo) {
  const write = io.progress;
  let shown = '';
  let drawn = false;
  let lastShare = -1;
  const draw = (text: string) => {
    if (!write || text === shown) return;
    write(`\r${text.padEnd(shown.length)}`);
    shown = text;
    drawn = true;
  };
  return {
    text: draw,
    bar(label: string, done: number, total: number) {
      if (!write || total === 0) return;
      const share = Math.floor((done / total) * 100);
      if (share === lastShare) return;
      lastShare = share;
      const width = 30;
      const filled = Math.round((share / 100) * width);
      draw(`${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(share).padStart(3)}% ${done}/${total} events`);
    },
    done() {
      if (write && drawn) write(`\r${' '.repeat(shown.length)}\r`);
    },
  };
}

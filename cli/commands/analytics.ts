import type { Command } from '../io.js';
import { UsageError } from '../io.js';
import { apiCredentialFor, callRuntime, runtimeUrl } from './runtime-api.js';

interface Figures {
  inbound: number;
  firstResponse: {
    count: number;
    p50Seconds: number | null;
    p90Seconds: number | null;
    exact: boolean;
    shareWithinTarget: number | null;
    automated: number;
    human: number;
  };
  answers: { automated: number; human: number };
  slaBreaches: number;
}

/** The answer of GET /api/analytics (functions/analytics/report.ts). */
export interface AnalyticsAnswer {
  from: string;
  to: string;
  by: string;
  responseTarget: { text: string; seconds: number };
  totals: Figures;
  groups: Array<Figures & { key: string }>;
  spikes: Array<{ incident: string; ruleId: string; startedAt: string; endedAt: string | null }>;
  topRules: Array<{ ruleId: string; hits: number }>;
}

const GROUPS = ['platform', 'channel', 'lang', 'team', 'person'];

/** 45s, 7m, 7m 30s, 1h 5m. */
export function durationText(seconds: number | null): string {
  if (seconds === null) return '-';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return whole % 60 === 0 ? `${whole / 60}m` : `${Math.floor(whole / 60)}m ${whole % 60}s`;
  const minutes = Math.round(whole / 60);
  return minutes % 60 === 0 ? `${minutes / 60}h` : `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

function share(value: number | null): string {
  return value === null ? '-' : `${Math.round(value * 100)}%`;
}

/** Columns padded to their widest cell, two spaces apart. */
export function table(rows: readonly string[][]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/** The report as plain text: the groups and their total, then the top rules and the spike episodes. */
export function analyticsLines(report: AnalyticsAnswer): string[] {
  const row = (name: string, figures: Figures) => [
    name,
    String(figures.inbound),
    String(figures.firstResponse.count),
    `${durationText(figures.firstResponse.p50Seconds)}${figures.firstResponse.exact ? '' : '~'}`,
    `${durationText(figures.firstResponse.p90Seconds)}${figures.firstResponse.exact ? '' : '~'}`,
    share(figures.firstResponse.shareWithinTarget),
    String(figures.answers.automated),
    String(figures.answers.human),
    String(figures.slaBreaches),
  ];
  const lines = [
    `from ${report.from} to ${report.to}, by ${report.by}; response target ${report.responseTarget.text}`,
    '',
    ...table([
      [report.by, 'inbound', 'first responses', 'p50', 'p90', 'within target', 'automated', 'human', 'SLA breaches'],
      ...report.groups.map((group) => row(group.key, group)),
      row('all', report.totals),
    ]),
  ];
  if (!report.totals.firstResponse.exact) lines.push('', '~ from the histogram (a bucket held more than 2,000 responses): within 5 %');
  if (report.topRules.length > 0)
    lines.push('', ...table([['rule', 'hits'], ...report.topRules.map((rule) => [rule.ruleId, String(rule.hits)])]));
  if (report.spikes.length > 0)
    lines.push(
      '',
      ...table([
        ['spike', 'rule', 'started', 'ended'],
        ...report.spikes.map((spike) => [spike.incident, spike.ruleId, spike.startedAt, spike.endedAt ?? 'still open']),
      ]),
    );
  return lines;
}

/** Response-time analytics of the running Foghorn: first response p50/p90 per group, share within target, answers, breaches, rules. */
export const analyticsCommand: Command = {
  summary: 'show response-time analytics (first response p50/p90, share within target, automated vs human)',
  usage: 'foghorn analytics [--from TIME|DURATION] [--to TIME|DURATION] [--by platform|channel|lang|team|person] [--json] [--url URL]',
  async run(input, io) {
    const values = {
      from: input.string('from'),
      to: input.string('to'),
      by: input.string('by'),
      json: input.flag('json'),
      url: input.string('url'),
    };
    if (values.by !== undefined && !GROUPS.includes(values.by))
      throw new UsageError(`--by must be one of ${GROUPS.join(', ')}, got '${values.by}'`);
    const query = new URLSearchParams();
    for (const name of ['from', 'to', 'by'] as const) if (values[name] !== undefined) query.set(name, values[name]);
    const base = runtimeUrl(values.url, io);
    const path = `/api/analytics${query.size > 0 ? `?${query}` : ''}`;
    const report = await callRuntime<AnalyticsAnswer>(base, 'GET', path, undefined, apiCredentialFor(base, io));
    if (values.json) io.out(JSON.stringify(report));
    else for (const line of analyticsLines(report)) io.out(line);
    return 0;
  },
};

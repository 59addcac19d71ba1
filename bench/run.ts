/**
 * `npm run bench`: Foghorn's compiled matcher and json-rules-engine side by side on the same
 * generated rules and events, the evaluate bundle and its cold start, and (when wired) the local
 * runtime end to end. Prints a table, then one JSON line with every figure.
 */
import { cpus, loadavg } from 'node:os';
import { type BundleFigures, measureBundle } from './bundle.js';
import { type EndToEndFigures, measureEndToEnd } from './e2e.js';
import { type MatchingFigures, measureMatching } from './matching.js';
import { makeEvents, makeKeywords, seededRandom } from './workload.js';

const SIZES = [10, 100, 1_000, 10_000];

async function main(): Promise<void> {
  const random = seededRandom(20_261_122);
  const keywords = makeKeywords(5_000, random);
  const events = makeEvents(2_000, keywords, random);
  const machine = {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    platform: `${process.platform}-${process.arch}`,
    /** Other work on the machine: wall-clock rates suffer from it, CPU-second rates much less. */
    loadAverageAtStart: loadavg()[0] ?? 0,
  };
  console.log(`Foghorn rule matching benchmark — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`);
  console.log(
    `${events.length} generated events (fa, ar, he, ru, sw, en; 8-40 words), rules: platform = P, text containsAny [2 keywords], author.followers >= N\n`,
  );

  const matching: MatchingFigures[] = [];
  for (const size of SIZES) {
    const figures = await measureMatching(size, keywords, events, random);
    matching.push(figures);
    process.stdout.write(`  measured ${size} rules\n`);
  }
  printMatching(matching);

  // Another module failing to bundle or load must not cost the matching figures.
  const bundle: BundleFigures | { status: 'not measured'; reason: string } = await measureBundle(keywords, random).catch(
    (error: unknown) => ({ status: 'not measured' as const, reason: (error as Error).message.split('\n')[0] ?? 'unknown error' }),
  );
  if ('status' in bundle) console.log(`\nEvaluate bundle: not measured — ${bundle.reason}`);
  else printBundle(bundle);

  const endToEnd = await measureEndToEnd();
  printEndToEnd(endToEnd);

  const first = matching[0] as MatchingFigures;
  const last = matching[matching.length - 1] as MatchingFigures;
  const growth = first.foghornEventsPerCpuSecond / last.foghornEventsPerCpuSecond;
  console.log(
    `\nCost growth 10 -> 10,000 rules (Foghorn, CPU time per event): ${growth.toFixed(2)}x; load average ${machine.loadAverageAtStart.toFixed(1)} at start, ${loadavg()[0]?.toFixed(1)} at end`,
  );
  console.log(
    JSON.stringify({ machine: { ...machine, loadAverageAtEnd: loadavg()[0] }, matching, growth10To10000: growth, bundle, endToEnd }),
  );
}

function printMatching(rows: readonly MatchingFigures[]): void {
  const header = [
    'rules',
    'Foghorn ev/cpu-s',
    'jre ev/cpu-s',
    'ratio',
    'Foghorn ev/s wall',
    'jre ev/s wall',
    'µs/ev (text)',
    'candidates/ev',
    'fired/ev',
    'compile cpu ms',
    'heap Foghorn',
    'heap jre',
    'disagree',
  ];
  const lines = rows.map((row) => [
    row.rules.toLocaleString('en-US'),
    count(row.foghornEventsPerCpuSecond),
    `${count(row.jreEventsPerCpuSecond)} (${row.jreEventsMeasured} ev)`,
    `${Math.round(row.ratio).toLocaleString('en-US')}x`,
    count(row.foghornEventsPerSecond),
    count(row.jreEventsPerSecond),
    `${(1e6 / row.foghornEventsPerCpuSecond).toFixed(1)} (${row.textAnalysisMicros.toFixed(1)})`,
    row.candidatesPerEvent.toFixed(1),
    row.firedPerEvent.toFixed(2),
    row.compileCpuMs.toFixed(1),
    megabytes(row.foghornHeapBytes),
    megabytes(row.jreHeapBytes),
    String(row.disagreements),
  ]);
  printTable(header, lines);
  console.log(
    `  RuleSet.evaluate (rules module on the matcher: facts, limits, actions), ev/cpu-s: ${rows.map((row) => `${row.rules.toLocaleString('en-US')} rules ${count(row.ruleSetEventsPerCpuSecond)}`).join(', ')}`,
  );
}

function count(perSecond: number): string {
  return perSecond < 100 ? perSecond.toFixed(1) : Math.round(perSecond).toLocaleString('en-US');
}

function printBundle(bundle: BundleFigures): void {
  console.log('');
  printTable(
    [
      'evaluate bundle',
      'minified',
      'module load ms (cpu)',
      `load ${bundle.ruleCount} rules ms (cpu)`,
      'load + rules ms',
      'child process ms',
    ],
    [
      [
        bundle.entry,
        kilobytes(bundle.bytes),
        `${bundle.moduleLoadMs.toFixed(0)} (${bundle.moduleLoadCpuMs.toFixed(0)})`,
        `${bundle.ruleLoadMs.toFixed(0)} (${bundle.ruleLoadCpuMs.toFixed(0)})`,
        (bundle.moduleLoadMs + bundle.ruleLoadMs).toFixed(0),
        bundle.processWallMs.toFixed(0),
      ],
    ],
  );
  console.log(
    `  largest parts (KB): ${Object.entries(bundle.largestKb)
      .map(([name, size]) => `${name} ${size}`)
      .join(', ')}`,
  );
  console.log(
    `  shipped beside it, imported on first need (KB): ${Object.entries(bundle.besideKb)
      .map(([name, size]) => `${name} ${size}`)
      .join(', ')}`,
  );
}

function printEndToEnd(figures: EndToEndFigures): void {
  console.log('');
  if (figures.status !== 'measured') {
    console.log(`End to end (local runtime): ${figures.status}${figures.reason ? ` — ${figures.reason}` : ''}`);
    return;
  }
  printTable(
    ['end to end (npm start)', 'webhooks/s', 'p50 ms', 'p99 ms', 'lost'],
    [
      [
        `${figures.events} signed generic webhooks, ${figures.concurrency} in flight`,
        Math.round(figures.webhooksPerSecond).toLocaleString('en-US'),
        figures.p50Ms.toFixed(1),
        figures.p99Ms.toFixed(1),
        String(figures.lost),
      ],
      ...(figures.paced
        ? [
            [
              `${figures.paced.events} at a steady ${figures.paced.ratePerSecond}/s`,
              String(figures.paced.ratePerSecond),
              figures.paced.p50Ms.toFixed(1),
              figures.paced.p99Ms.toFixed(1),
              String(figures.paced.lost),
            ],
          ]
        : []),
    ],
  );
}

function printTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): void {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, column) => cell.padStart(widths[column] as number)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

function kilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KB`;
}

await main();

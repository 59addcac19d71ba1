/**
 * `npm run bench`: Foghorn's compiled matcher and json-rules-engine side by side on the same
 * generated rules and events, the evaluate bundle and its cold start, and the local runtime end to
 * end (bench/e2e.ts). Prints tables, then one JSON line with every figure.
 * `npm run bench -- e2e`: the end-to-end section alone (its table, then `{ machine, endToEnd }`).
 * `npm run bench -- bundle`: the evaluate bundle and its cold starts alone (its table, then `{ machine, bundle }`).
 * `npm run bench -- matching`: the matcher's workloads alone (their tables, then `{ machine, workloads }`).
 */
import { cpus, loadavg } from 'node:os';
import { type BundleFigures, measureBundle } from './bundle.js';
import { measureEndToEnd } from './e2e.js';
import { type MatchingFigures, measureMatching } from './matching.js';
import { printEndToEnd } from './print-end-to-end.js';
import { printTable } from './table.js';
import { benchWorkloads, makeKeywords, seededRandom, type WorkloadName } from './workload.js';

const SIZES = [10, 100, 1_000, 10_000];

const SEED = 20_261_122;

interface WorkloadFigures {
  description: string;
  matching: MatchingFigures[];
  /** CPU time per event at 10,000 rules over that at 10 rules. */
  growth10To10000: number;
}

const SECTIONS = ['all', 'e2e', 'bundle', 'matching'] as const;

async function main(): Promise<void> {
  const section = process.argv[2] ?? 'all';
  if (!(SECTIONS as readonly string[]).includes(section)) {
    console.error(
      `npm run bench: unknown section '${section}'; use no argument (every section) or one of: ${SECTIONS.slice(1).join(', ')}`,
    );
    process.exit(2);
  }
  const machine = {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    platform: `${process.platform}-${process.arch}`,
    /** Other work on the machine: wall-clock rates suffer from it, CPU-second rates much less. */
    loadAverageAtStart: loadavg()[0] ?? 0,
  };
  if (section === 'e2e') {
    console.log(`Foghorn end-to-end benchmark — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`);
    const endToEnd = await measureEndToEnd();
    printEndToEnd(endToEnd);
    console.log(`Load average ${machine.loadAverageAtStart.toFixed(1)} at start, ${loadavg()[0]?.toFixed(1)} at end`);
    console.log(JSON.stringify({ machine: { ...machine, loadAverageAtEnd: loadavg()[0] }, endToEnd }));
    return;
  }
  if (section === 'bundle') {
    const bundle = await measureBundle(makeKeywords(5_000, seededRandom(SEED)), seededRandom(SEED + 3));
    printBundle(bundle);
    console.log(`Load average ${machine.loadAverageAtStart.toFixed(1)} at start, ${loadavg()[0]?.toFixed(1)} at end`);
    console.log(JSON.stringify({ machine: { ...machine, loadAverageAtEnd: loadavg()[0] }, bundle }));
    return;
  }
  console.log(`Foghorn rule matching benchmark — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`);

  const workloads = {} as Record<WorkloadName, WorkloadFigures>;
  for (const workload of benchWorkloads({ seed: SEED })) {
    console.log(`\nWorkload ${workload.name}: ${workload.description}`);
    const matching: MatchingFigures[] = [];
    for (const size of SIZES) {
      const { rules, events } = workload.at(size);
      matching.push(await measureMatching(rules, events));
      process.stdout.write(`  measured ${size} rules\n`);
    }
    const growth10To10000 = growth(matching);
    workloads[workload.name] = { description: workload.description, matching, growth10To10000 };
    printMatching(matching);
    console.log(
      `  cost growth 10 -> 10,000 rules (${workload.name}, Foghorn, CPU time per event): ${growth10To10000.toFixed(2)}x; load average now ${loadavg()[0]?.toFixed(1)}`,
    );
  }
  if (section === 'matching') {
    console.log(`Load average ${machine.loadAverageAtStart.toFixed(1)} at start, ${loadavg()[0]?.toFixed(1)} at end`);
    console.log(JSON.stringify({ machine: { ...machine, loadAverageAtEnd: loadavg()[0] }, workloads }));
    return;
  }

  // Another module failing to bundle or load must not cost the matching figures.
  const bundle: BundleFigures | { status: 'not measured'; reason: string } = await measureBundle(
    makeKeywords(5_000, seededRandom(SEED)),
    seededRandom(SEED + 3),
  ).catch((error: unknown) => ({
    status: 'not measured' as const,
    reason: (error as Error).message.split('\n')[0] ?? 'unknown error',
  }));
  if ('status' in bundle) console.log(`\nEvaluate bundle: not measured — ${bundle.reason}`);
  else printBundle(bundle);

  const endToEnd = await measureEndToEnd();
  printEndToEnd(endToEnd);

  console.log('');
  for (const [name, figures] of Object.entries(workloads))
    console.log(`Cost growth 10 -> 10,000 rules (${name}, Foghorn, CPU time per event): ${figures.growth10To10000.toFixed(2)}x`);
  console.log(`Load average ${machine.loadAverageAtStart.toFixed(1)} at start, ${loadavg()[0]?.toFixed(1)} at end`);
  const { matching, growth10To10000 } = workloads.current;
  console.log(
    JSON.stringify({
      machine: { ...machine, loadAverageAtEnd: loadavg()[0] },
      matching,
      growth10To10000,
      workloads,
      bundle,
      endToEnd,
    }),
  );
}

function growth(rows: readonly MatchingFigures[]): number {
  const first = rows[0] as MatchingFigures;
  const last = rows[rows.length - 1] as MatchingFigures;
  return first.foghornEventsPerCpuSecond / last.foghornEventsPerCpuSecond;
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
    `  events on which a rule fired: ${rows.map((row) => `${row.rules.toLocaleString('en-US')} rules ${(row.matchedShare * 100).toFixed(1)}%`).join(', ')}`,
  );
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
        bundle.loadAndRulesMs.toFixed(0),
        bundle.processWallMs.toFixed(0),
      ],
    ],
  );
  console.log(
    `  medians of ${bundle.coldStarts.length} fresh processes; load + rules per process (ms): ${bundle.coldStarts.map((run) => (run.moduleLoadMs + run.ruleLoadMs).toFixed(0)).join(', ')}`,
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
  console.log(
    `  data beside it, read on first need (KB): ${Object.entries(bundle.filesBesideKb)
      .map(([name, size]) => `${name} ${size}`)
      .join(', ')}; the read after the rules: ${bundle.lexiconReadMs.toFixed(0)} ms (${bundle.lexiconReadCpuMs.toFixed(0)} CPU)`,
  );
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

function kilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KB`;
}

await main();

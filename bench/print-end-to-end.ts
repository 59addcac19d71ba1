/** The end-to-end section of `npm run bench`: one table, then memory, start-up and the store in a few lines. */
import type { EndToEndFigures, PhaseFigures } from './e2e.js';
import { printTable } from './table.js';

export function printEndToEnd(figures: EndToEndFigures): void {
  console.log('');
  if (figures.status !== 'measured') {
    console.log(`End to end (npm start): not measured — ${figures.reason}`);
    return;
  }
  const { flooded, paced, ceiling } = figures;
  console.log(
    `End to end: npm start (${figures.command}), store ${figures.store.engine}${figures.store.reportedByHealth ? '' : ' (not reported by /health: dynalite)'}, one auto-reply rule, sandboxed`,
  );
  printTable(
    [
      'load',
      'webhooks',
      '2xx',
      'lost',
      'dup',
      'webhooks/s',
      '2xx/s',
      'p50 ms',
      'p99 ms',
      'CPU ms/webhook',
      'writes/webhook',
      'commits/webhook',
      'reads/webhook',
    ],
    [
      phaseRow(`flooded, ${figures.concurrency} in flight`, flooded),
      phaseRow(`paced at ${count(paced.ratePerSecond)}/s`, paced),
      [
        `bare node:http + HMAC, ${ceiling.concurrency} in flight`,
        `${count(ceiling.webhooks)} ×${ceiling.rounds.length}`,
        count(ceiling.webhooks * ceiling.rounds.length - ceiling.notOk),
        '–',
        '–',
        count(ceiling.webhooksPerSecond),
        count(ceiling.webhooksPerSecond),
        '–',
        '–',
        ceiling.cpuMsPerWebhook === null ? 'n/a' : ceiling.cpuMsPerWebhook.toFixed(2),
        '–',
        '–',
        '–',
      ],
    ],
  );
  console.log(
    `  Foghorn flooded / bare server: ${(figures.ratioToCeiling * 100).toFixed(1)}% (bare rounds: ${ceiling.rounds.map(count).join(', ')} webhooks/s, median taken)`,
  );
  if (flooded.cpuMsPerWebhook !== null && ceiling.cpuMsPerWebhook)
    console.log(
      `  CPU per webhook, flooded: Foghorn ${flooded.cpuMsPerWebhook.toFixed(2)} ms, bare server ${ceiling.cpuMsPerWebhook.toFixed(3)} ms (${(flooded.cpuMsPerWebhook / ceiling.cpuMsPerWebhook).toFixed(0)}×; less sensitive to other load than the rates)`,
    );
  const memory = figures.memory;
  console.log(
    memory
      ? `  runtime RSS: idle ${megabytes(memory.idleRssBytes)}, after load ${megabytes(memory.afterLoadRssBytes)}, peak ${megabytes(memory.peakRssBytes)} (VmHWM)`
      : '  runtime RSS: n/a (no /proc)',
  );
  console.log(`  npm start to listening: ${(figures.startMs / 1000).toFixed(1)} s`);
  console.log(
    `  disk: a 4 KB write + fdatasync in the temporary folder takes ${figures.diskSync.medianMs.toFixed(2)} ms (median; p90 ${figures.diskSync.p90Ms.toFixed(2)} ms)`,
  );
  for (const [name, phase] of [
    ['flooded', flooded],
    ['paced', paced],
  ] as const) {
    if (!phase.drained) console.log(`  ${name}: the queues stopped draining before they were empty`);
  }
}

function phaseRow(name: string, phase: PhaseFigures): string[] {
  return [
    name,
    count(phase.webhooks),
    count(phase.accepted),
    String(phase.lost),
    String(phase.duplicates),
    count(phase.webhooksPerSecond),
    count(phase.acceptedPerSecond),
    milliseconds(phase.p50Ms),
    milliseconds(phase.p99Ms),
    phase.cpuMsPerWebhook === null ? 'n/a' : phase.cpuMsPerWebhook.toFixed(2),
    phase.writesPerWebhook === null ? 'n/a' : phase.writesPerWebhook.toFixed(2),
    phase.commitsPerWebhook === null ? 'n/a' : phase.commitsPerWebhook.toFixed(2),
    phase.readsPerWebhook === null ? 'n/a' : phase.readsPerWebhook.toFixed(2),
  ];
}

function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function milliseconds(value: number): string {
  if (Number.isNaN(value)) return 'n/a';
  return value < 100 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US');
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(0)} MB`;
}

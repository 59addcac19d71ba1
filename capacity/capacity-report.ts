import { hotKeys, isIndexKey, type KeyFigures, LIMITS } from './capacity-ledger.js';
import { cpuStretch, FUNCTIONS, type ModelledFunction, type ModelRun, memoryMbOf } from './capacity-model.js';
import { PRICES, REGION } from './prices.js';

/** The capacity model's figures, worked out from a run: what the command prints and its `--json` line carries. */
export interface CapacityReport {
  storm: { rate: number; seconds: number; spikeShare: number; deliveries: number };
  sampled: { deliveries: number; seconds: number; scale: number; bucketSeconds: number };
  deliveries: ModelRun['deliveries'];
  answered: Record<string, number>;
  perSecond: Array<{
    bucket: number;
    deliveries: number;
    tableWru: number;
    tableRru: number;
    indexWru: number;
    putEventsCalls: number;
    putEventsEntries: number;
    sqsRequests: number;
    concurrency: Record<ModelledFunction, { cpu: number; modelled: number }>;
  }>;
  topWru: KeyFigures[];
  topRru: KeyFigures[];
  flagged: Array<KeyFigures & { over: Array<'wru' | 'rru'> }>;
  lambda: Record<
    ModelledFunction,
    { invocations: number; cpuMsPerInvocation: number; modelledMsPerInvocation: number; peakConcurrency: { cpu: number; modelled: number } }
  >;
  costPerMillionEvents: { items: Record<string, number>; total: number; region: string };
  /** Request units per million events by family of key (capacity-ledger.ts keyFamily), busiest first: what the DynamoDB lines are made of. */
  unitsPerMillionEvents: KeyFigures[];
  sweep: ModelRun['sweep'];
  refusals: Record<string, number>;
  errors: string[];
  wallSeconds: number;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export function capacityReport(run: ModelRun, callLatencyMs: number): CapacityReport {
  const { options } = run;
  const stormDeliveries = options.rate * options.seconds;
  const per = run.bucketSeconds;
  const storm = run.buckets.slice(0, run.stormBuckets);
  const perSecond = storm.map((bucket) => {
    const keys = run.ledger.bucket(bucket.bucket);
    const table = keys.filter((key) => !isIndexKey(key.key));
    const index = keys.filter((key) => isIndexKey(key.key));
    const sum = (list: KeyFigures[], field: 'wru' | 'rru') => list.reduce((total, key) => total + key[field], 0);
    return {
      bucket: bucket.bucket,
      deliveries: bucket.deliveries / per,
      tableWru: round(sum(table, 'wru')),
      tableRru: round(sum(table, 'rru')),
      indexWru: round(sum(index, 'wru')),
      putEventsCalls: bucket.requests.putEventsCalls / per,
      putEventsEntries: bucket.requests.putEventsEntries / per,
      sqsRequests: (bucket.requests.sqsRequests + bucket.requests.sqsServiceRequests) / per,
      concurrency: Object.fromEntries(
        FUNCTIONS.map((fn) => {
          const used = bucket.functions[fn];
          return [
            fn,
            {
              cpu: round(used.cpuMs / 1000 / per, 2),
              modelled: round(modelledMs(fn, used.cpuMs, used.awsCalls, callLatencyMs) / 1000 / per, 2),
            },
          ];
        }),
      ) as Record<ModelledFunction, { cpu: number; modelled: number }>,
    };
  });

  const peaks = run.ledger.peaks().map((key) => ({ key: key.key, wru: round(key.wru), rru: round(key.rru) }));
  const topWru = [...peaks].sort((a, b) => b.wru - a.wru).slice(0, 10);
  const topRru = [...peaks].sort((a, b) => b.rru - a.rru).slice(0, 10);

  const lambda = Object.fromEntries(
    FUNCTIONS.map((fn) => {
      const invocations = run.buckets.reduce((sum, bucket) => sum + bucket.functions[fn].invocations, 0);
      const cpuMs = run.buckets.reduce((sum, bucket) => sum + bucket.functions[fn].cpuMs, 0);
      const calls = run.buckets.reduce((sum, bucket) => sum + bucket.functions[fn].awsCalls, 0);
      return [
        fn,
        {
          invocations,
          cpuMsPerInvocation: round(invocations ? cpuMs / invocations : 0, 2),
          modelledMsPerInvocation: round(invocations ? modelledMs(fn, cpuMs, calls, callLatencyMs) / invocations : 0, 2),
          peakConcurrency: {
            cpu: Math.max(0, ...perSecond.map((bucket) => bucket.concurrency[fn].cpu)),
            modelled: Math.max(0, ...perSecond.map((bucket) => bucket.concurrency[fn].modelled)),
          },
        },
      ];
    }),
  ) as CapacityReport['lambda'];

  // Per event, from everything the run did (the sweeps after the storm included): no scaling needed.
  const totals = run.ledger.totals();
  const all = run.buckets.reduce(
    (sum, bucket) => ({
      putEventsChunks: sum.putEventsChunks + bucket.requests.putEventsChunks,
      sqs: sum.sqs + bucket.requests.sqsRequests + bucket.requests.sqsServiceRequests,
    }),
    { putEventsChunks: 0, sqs: 0 },
  );
  const invocations = FUNCTIONS.reduce((sum, fn) => sum + lambda[fn].invocations, 0);
  const gbSeconds = FUNCTIONS.reduce(
    (sum, fn) => sum + ((lambda[fn].modelledMsPerInvocation * lambda[fn].invocations) / 1000) * (memoryMbOf(fn) / 1024),
    0,
  );
  const perMillion = 1_000_000 / run.deliveriesRun;
  const items = {
    'DynamoDB writes': (totals.wru / 1e6) * PRICES.dynamoDbPerMillionWru * perMillion,
    'DynamoDB reads': (totals.rru / 1e6) * PRICES.dynamoDbPerMillionRru * perMillion,
    'Lambda requests': (invocations / 1e6) * PRICES.lambdaPerMillionRequests * perMillion,
    'Lambda duration': gbSeconds * PRICES.lambdaArmPerGbSecond * perMillion,
    'HTTP API requests': (run.deliveriesRun / 1e6) * PRICES.httpApiPerMillionRequests * perMillion,
    'EventBridge events': (all.putEventsChunks / 1e6) * PRICES.eventBridgePerMillionEvents * perMillion,
    'SQS requests': (all.sqs / 1e6) * PRICES.sqsPerMillionRequests * perMillion,
  };
  const total = Object.values(items).reduce((sum, value) => sum + value, 0);

  return {
    storm: { rate: options.rate, seconds: options.seconds, spikeShare: options.spikeShare, deliveries: stormDeliveries },
    sampled: { deliveries: run.deliveriesRun, seconds: run.sampledSeconds, scale: stormDeliveries / run.deliveriesRun, bucketSeconds: per },
    deliveries: run.deliveries,
    answered: run.answered,
    perSecond,
    topWru,
    topRru,
    flagged: hotKeys(peaks),
    lambda,
    costPerMillionEvents: {
      items: Object.fromEntries(Object.entries(items).map(([name, value]) => [name, round(value, 3)])),
      total: round(total, 2),
      region: REGION,
    },
    unitsPerMillionEvents: run.ledger
      .families()
      .map((family) => ({ key: family.key, wru: Math.round(family.wru * perMillion), rru: Math.round(family.rru * perMillion) })),
    sweep: run.sweep,
    refusals: run.refusals,
    errors: run.errors,
    wallSeconds: round(run.wallMs / 1000),
  };
}

/** A function's time on Lambda: its CPU time stretched to its memory's share of a vCPU, plus a round trip per AWS call. */
export function modelledMs(fn: ModelledFunction, cpuMs: number, awsCalls: number, callLatencyMs: number): number {
  return cpuMs * cpuStretch(fn) + awsCalls * callLatencyMs;
}

/** The report as the command prints it (the `--json` line is separate). */
export function formatReport(report: CapacityReport, callLatencyMs: number): string {
  const n = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const lines: string[] = [];
  const { storm, sampled } = report;
  lines.push(
    `Foghorn capacity model: ${n(storm.rate)} webhooks/s for ${n(storm.seconds)} s, ${n(storm.spikeShare * 100)}% matching the crisis volume rule`,
  );
  lines.push(
    sampled.scale > 1
      ? `Sampled: the storm's first ${n(sampled.seconds, 2)} s at the full rate (${n(sampled.deliveries)} of ${n(storm.deliveries)} deliveries, 1 in ${n(sampled.scale, 1)}), through ingest, evaluate and act on the AWS adapters, then the sweeps that fire its timers. Per-second and per-key figures are that window's own, exact for what ran (buckets of ${n(sampled.bucketSeconds, 2)} s, as rates per second); figures per million events need no scaling; the storm's totals are the run's × ${n(sampled.scale, 1)}.`
      : `Run whole: ${n(sampled.deliveries)} deliveries through ingest, evaluate and act on the AWS adapters, then the sweeps that fire their timers.`,
  );
  lines.push(
    `Deliveries: ${Object.entries(report.deliveries)
      .map(([kind, count]) => `${kind} ${n(count)}`)
      .join(' · ')}; ingest answered ${Object.entries(report.answered)
      .map(([status, count]) => `${status} × ${n(count)}`)
      .join(', ')}; sweeps ${report.sweep.runs}, timers fired ${n(report.sweep.timersFired)}`,
  );
  lines.push('');
  lines.push(`Per second of the storm (concurrency by Little's law: CPU time here | modelled on Lambda, ${callLatencyMs} ms per AWS call)`);
  lines.push(
    table(
      [
        'at s',
        'webhooks/s',
        'table WRU/s',
        'table RRU/s',
        'GSI WRU/s',
        'PutEvents calls/s',
        'entries/s',
        'SQS requests/s',
        ...FUNCTIONS.map((fn) => `${fn} conc.`),
      ],
      report.perSecond.map((row) => [
        n(row.bucket * sampled.bucketSeconds, 2),
        n(row.deliveries),
        n(row.tableWru),
        n(row.tableRru),
        n(row.indexWru),
        n(row.putEventsCalls),
        n(row.putEventsEntries),
        n(row.sqsRequests),
        ...FUNCTIONS.map((fn) => `${n(row.concurrency[fn].cpu, 1)} | ${n(row.concurrency[fn].modelled, 1)}`),
      ]),
    ),
  );
  lines.push('');
  const flaggedKeys = new Set(report.flagged.map((key) => key.key));
  const keyRows = (keys: KeyFigures[]) =>
    keys.map((key) => [key.key, n(key.wru, 1), n(key.rru, 1), flaggedKeys.has(key.key) ? 'OVER' : '']);
  lines.push(
    `Partition keys by WRU/s in their busiest second (table: pk=…, index: gsi:…), top 10; limits ${n(LIMITS.wruPerSecond)} WRU/s, ${n(LIMITS.rruPerSecond)} RRU/s`,
  );
  lines.push(table(['key', 'WRU/s', 'RRU/s', ''], keyRows(report.topWru)));
  lines.push('');
  lines.push('Partition keys by RRU/s in their busiest second, top 10');
  lines.push(table(['key', 'WRU/s', 'RRU/s', ''], keyRows(report.topRru)));
  lines.push('');
  lines.push(`Lambda (handler time measured here; on Lambda × 1,769 MB / memory below one vCPU, + ${callLatencyMs} ms per AWS call)`);
  lines.push(
    table(
      ['function', 'memory MB', 'invocations', 'ms each here', 'ms each modelled', 'peak concurrency here', 'peak concurrency modelled'],
      FUNCTIONS.map((fn) => [
        fn,
        n(memoryMbOf(fn)),
        n(report.lambda[fn].invocations),
        n(report.lambda[fn].cpuMsPerInvocation, 2),
        n(report.lambda[fn].modelledMsPerInvocation, 2),
        n(report.lambda[fn].peakConcurrency.cpu, 1),
        n(report.lambda[fn].peakConcurrency.modelled, 1),
      ]),
    ),
  );
  lines.push('');
  lines.push(`Cost per million events (${report.costPerMillionEvents.region} on-demand prices, capacity/prices.ts; target at most $6)`);
  lines.push(
    table(
      ['item', 'USD'],
      [
        ...Object.entries(report.costPerMillionEvents.items).map(([item, usd]) => [item, `$${n(usd, 3)}`]),
        ['total', `$${n(report.costPerMillionEvents.total, 2)}`],
      ],
    ),
  );
  lines.push('');
  lines.push('DynamoDB request units per million events by family of key (ids and shards left out), top 12');
  lines.push(
    table(
      ['family', 'WRU', 'RRU', 'USD'],
      report.unitsPerMillionEvents
        .slice(0, 12)
        .map((family) => [
          family.key,
          n(family.wru),
          n(family.rru),
          `$${n((family.wru / 1e6) * PRICES.dynamoDbPerMillionWru + (family.rru / 1e6) * PRICES.dynamoDbPerMillionRru, 3)}`,
        ]),
    ),
  );
  lines.push('');
  if (Object.keys(report.refusals).length > 0)
    lines.push(
      `DynamoDB refusals on the normal path: ${Object.entries(report.refusals)
        .map(([name, count]) => `${name} × ${n(count)}`)
        .join(', ')}`,
    );
  if (report.errors.length > 0) {
    lines.push(`MODEL ERRORS (${report.errors.length}${report.errors.length >= 50 ? '+' : ''}): the figures are not to be trusted`);
    for (const error of report.errors.slice(0, 10)) lines.push(`  ${error}`);
  }
  lines.push(
    report.flagged.length === 0
      ? `No partition key over ${n(LIMITS.wruPerSecond)} WRU/s or ${n(LIMITS.rruPerSecond)} RRU/s.`
      : `HOT KEYS (over ${n(LIMITS.wruPerSecond)} WRU/s or ${n(LIMITS.rruPerSecond)} RRU/s): ${report.flagged.map((key) => `${key.key} ${n(key.wru)} WRU/s ${n(key.rru)} RRU/s`).join('; ')}`,
  );
  lines.push(`Ran in ${n(report.wallSeconds, 1)} s.`);
  return lines.join('\n');
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

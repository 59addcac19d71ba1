import { parseArgs } from 'node:util';
import { hotKeys } from './capacity-ledger.js';
import { CapacityOptionsError, DEFAULTS, runCapacityModel } from './capacity-model.js';
import { capacityReport, formatReport } from './capacity-report.js';
import { StormSpikeShareError } from './storm.js';

export const CAPACITY_USAGE = `usage: npm run capacity -- [--rate 10000] [--seconds 60] [--spike-share ${DEFAULTS.spikeShare}] [--max-events ${DEFAULTS.maxEvents}]
                          [--call-latency-ms ${DEFAULTS.callLatencyMs}] [--authors ${DEFAULTS.authors}] [--seed ${DEFAULTS.seed}] [--json]
Exit status: 0 when no partition key is over 1,000 WRU/s or 3,000 RRU/s; 1 when one is; 2 on a usage error or when the model itself failed.`;

export interface CapacityIo {
  out(line: string): void;
  err(line: string): void;
}

/** `npm run capacity`: runs the model, prints the report (and with --json one JSON line last), answers the exit status. */
export async function capacityCommand(argv: readonly string[], io: CapacityIo): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        rate: { type: 'string', default: '10000' },
        seconds: { type: 'string', default: '60' },
        'spike-share': { type: 'string', default: String(DEFAULTS.spikeShare) },
        'max-events': { type: 'string', default: String(DEFAULTS.maxEvents) },
        'call-latency-ms': { type: 'string', default: String(DEFAULTS.callLatencyMs) },
        authors: { type: 'string', default: String(DEFAULTS.authors) },
        seed: { type: 'string', default: String(DEFAULTS.seed) },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    io.err(`capacity: ${(error as Error).message}\n${CAPACITY_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(CAPACITY_USAGE);
    return 0;
  }
  const number = (name: string) => {
    const raw = String(values[name]);
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) throw new CapacityOptionsError(`--${name} must be a number, got '${raw}'`);
    return value;
  };
  let run: Awaited<ReturnType<typeof runCapacityModel>>;
  let callLatencyMs: number;
  try {
    callLatencyMs = number('call-latency-ms');
    run = await runCapacityModel({
      rate: number('rate'),
      seconds: number('seconds'),
      spikeShare: number('spike-share'),
      maxEvents: number('max-events'),
      callLatencyMs,
      authors: number('authors'),
      seed: number('seed'),
    });
  } catch (error) {
    if (error instanceof CapacityOptionsError || error instanceof StormSpikeShareError) {
      io.err(`capacity: ${error.message}\n${CAPACITY_USAGE}`);
      return 2;
    }
    throw error;
  }
  const report = capacityReport(run, callLatencyMs);
  io.out(formatReport(report, callLatencyMs));
  if (values.json) io.out(JSON.stringify({ capacity: report }));
  if (report.errors.length > 0) return 2;
  return hotKeys(report.topWru.concat(report.topRru)).length > 0 || report.flagged.length > 0 ? 1 : 0;
}

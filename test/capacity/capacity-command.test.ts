import { describe, expect, it } from 'vitest';
import { type CapacityIo, capacityCommand } from '../../capacity/capacity-command.js';
import type { CapacityReport } from '../../capacity/capacity-report.js';

/** The command at a tiny rate, through the real stages on the AWS adapters: what it prints and how it exits. */
function io() {
  const out: string[] = [];
  const err: string[] = [];
  const sink: CapacityIo = { out: (line) => out.push(line), err: (line) => err.push(line) };
  return { out, err, sink };
}

describe('npm run capacity', () => {
  it('runs a small storm end to end: every delivery stored, evaluated and acted on, the figures printed, a JSON line last', async () => {
    const { out, err, sink } = io();
    const status = await capacityCommand(['--rate', '20', '--seconds', '1', '--spike-share', '0.3', '--json'], sink);

    expect(err).toEqual([]);
    const report = (JSON.parse(out.at(-1)!) as { capacity: CapacityReport }).capacity;
    expect(report.errors).toEqual([]);
    expect(status).toBe(0);
    expect(report.sampled).toMatchObject({ deliveries: 20, scale: 1 });
    expect(report.answered).toEqual({ 200: 20 });
    const [second] = report.perSecond;
    expect(second).toMatchObject({ deliveries: 20, putEventsEntries: 20 });
    // Every kind of delivery reached the pipeline, and what was decided reached act.
    expect(Object.values(report.deliveries).reduce((sum, count) => sum + count, 0)).toBe(20);
    expect(report.lambda.evaluate.invocations).toBeGreaterThan(0);
    expect(report.lambda.act.invocations).toBeGreaterThan(0);
    expect(report.sweep.runs).toBeGreaterThan(0);
    // The table's stream reached the analytics function, whose clocks are in the bill.
    expect(report.lambda.analytics.invocations).toBeGreaterThan(0);
    expect(report.unitsPerMillionEvents.some((family) => family.key === 'pk=ACLOCK')).toBe(true);
    // Each event is written at least once, and the crisis rule's spike is counted.
    expect(second!.tableWru).toBeGreaterThanOrEqual(20);
    expect(report.topWru.concat(report.topRru).some((key) => key.key.includes('storm-outage'))).toBe(true);
    expect(report.flagged).toEqual([]);
    expect(report.costPerMillionEvents.total).toBeGreaterThan(0);
    const text = out.slice(0, -1).join('\n');
    expect(text).toContain('Cost per million events (us-east-1');
    expect(text).toContain('No partition key over 1,000 WRU/s or 3,000 RRU/s.');
  });

  it('refuses a bad option with a message naming it, exit 2', async () => {
    const bad = io();
    expect(await capacityCommand(['--rate', 'many'], bad.sink)).toBe(2);
    expect(bad.err.join('\n')).toContain("--rate must be a number, got 'many'");

    const share = io();
    expect(await capacityCommand(['--rate', '10', '--spike-share', '0.95'], share.sink)).toBe(2);
    expect(share.err.join('\n')).toContain('--spike-share must be between 0 and 0.85');

    const unknown = io();
    expect(await capacityCommand(['--rates', '10'], unknown.sink)).toBe(2);
    expect(unknown.err.join('\n')).toContain("Unknown option '--rates'");
  });
});

import { expect, it } from 'vitest';
import type { RuleState } from '../../../functions/core/rule-set.js';
import { memoryRuleState } from '../../../functions/rules/index.js';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);

type PeekingRuleState = RuleState & Required<Pick<RuleState, 'peek'>>;

/**
 * What every RuleState must do, run against the embedded store (lmdb) and the DynamoDB one (dynalite), and
 * checked against the memory implementation: sliding windows for small allowances, fixed windows for large
 * ones (rules/limit-window.ts). Keys are the test's own, so a harness may share one table or folder.
 */
export function ruleStateContract(make: () => PeekingRuleState): void {
  it('allows `limit` acquisitions per sliding window, then refuses until the oldest ages out', async () => {
    const limits = make();
    expect(await limits.tryAcquire('cooldown-a', 2, HOUR, at('2026-01-05T10:00:00Z'))).toBe(true);
    expect(await limits.tryAcquire('cooldown-a', 2, HOUR, at('2026-01-05T10:30:00Z'))).toBe(true);
    expect(await limits.tryAcquire('cooldown-a', 2, HOUR, at('2026-01-05T10:59:59Z'))).toBe(false);
    // One hour after the first acquisition a unit is free again; the second still counts.
    expect(await limits.tryAcquire('cooldown-a', 2, HOUR, at('2026-01-05T11:00:00Z'))).toBe(true);
    expect(await limits.tryAcquire('cooldown-a', 2, HOUR, at('2026-01-05T11:10:00Z'))).toBe(false);
    expect(await limits.peek('cooldown-a', 2, HOUR, at('2026-01-05T11:10:00Z'))).toBe(2);
    expect(await limits.peek('cooldown-a', 2, HOUR, at('2026-01-05T12:30:00Z'))).toBe(0);
  });

  it('treats acquisitions older than the window as gone', async () => {
    const limits = make();
    expect(await limits.tryAcquire('once-a-day', 1, 24 * HOUR, at('2026-01-05T10:00:00Z'))).toBe(true);
    expect(await limits.tryAcquire('once-a-day', 1, 24 * HOUR, at('2026-01-06T09:59:59Z'))).toBe(false);
    expect(await limits.tryAcquire('once-a-day', 1, 24 * HOUR, at('2026-01-06T10:00:00Z'))).toBe(true);
  });

  it('counts large allowances in fixed windows, starting again in the next window', async () => {
    const limits = make();
    const now = at('2026-01-05T10:00:10Z');
    const results: boolean[] = [];
    for (let index = 0; index < 12; index++) results.push(await limits.tryAcquire('ceiling', 10, 60_000, now));
    expect(results.filter(Boolean)).toHaveLength(10);
    expect(await limits.peek('ceiling', 10, 60_000, now)).toBe(10);
    expect(await limits.peek('ceiling', 10, 60_000, at('2026-01-05T10:01:00Z'))).toBe(0);
    expect(await limits.tryAcquire('ceiling', 10, 60_000, at('2026-01-05T10:01:00Z'))).toBe(true);
    expect(await limits.peek('ceiling', 10, 60_000, at('2026-01-05T10:01:30Z'))).toBe(1);
  });

  it('keeps each fixed window its own count when acquisitions arrive out of order across a boundary', async () => {
    const limits = make();
    expect(await limits.tryAcquire('boundary', 10, 60_000, at('2026-01-05T10:01:00Z'))).toBe(true);
    expect(await limits.tryAcquire('boundary', 10, 60_000, at('2026-01-05T10:00:59Z'))).toBe(true);
    expect(await limits.peek('boundary', 10, 60_000, at('2026-01-05T10:01:30Z'))).toBe(1);
    expect(await limits.peek('boundary', 10, 60_000, at('2026-01-05T10:00:30Z'))).toBe(1);
  });

  it('grants exactly `limit` of many concurrent acquisitions (sliding window)', async () => {
    const limits = make();
    const now = at('2026-01-05T10:00:00Z');
    const results = await Promise.all(Array.from({ length: 12 }, () => limits.tryAcquire('race-sliding', 3, HOUR, now)));
    expect(results.filter(Boolean)).toHaveLength(3);
  });

  it('grants exactly `limit` of many concurrent acquisitions (fixed window)', async () => {
    const limits = make();
    const now = at('2026-01-05T10:00:00Z');
    const results = await Promise.all(Array.from({ length: 40 }, () => limits.tryAcquire('race-fixed', 25, 60_000, now)));
    expect(results.filter(Boolean)).toHaveLength(25);
  });

  it('grants exactly a large limit (a per-minute ceiling, which a store may spread over items) of many concurrent acquisitions', async () => {
    const limits = make();
    const now = at('2026-01-05T10:00:00Z');
    const results = await Promise.all(Array.from({ length: 230 }, () => limits.tryAcquire('race-large', 200, 60_000, now)));
    expect(results.filter(Boolean)).toHaveLength(200);
    expect(await limits.peek('race-large', 200, 60_000, now)).toBe(200);
    expect(await limits.tryAcquire('race-large', 200, 60_000, now)).toBe(false);
    expect(await limits.tryAcquire('race-large', 200, 60_000, at('2026-01-05T10:01:00Z'))).toBe(true);
  });

  it('never grants a limit of zero', async () => {
    expect(await make().tryAcquire('zero', 0, HOUR, at('2026-01-05T10:00:00Z'))).toBe(false);
  });

  it('keeps keys apart', async () => {
    const limits = make();
    const now = at('2026-01-05T10:00:00Z');
    expect(await limits.tryAcquire('apart-a', 1, HOUR, now)).toBe(true);
    expect(await limits.tryAcquire('apart-b', 1, HOUR, now)).toBe(true);
    expect(await limits.tryAcquire('apart-a', 1, HOUR, now)).toBe(false);
  });

  it('agrees with the memory implementation on the same sequence', async () => {
    const sequence: Array<[string, number, number, string]> = [
      ['k1', 1, HOUR, '2026-01-05T10:00:00Z'],
      ['k1', 1, HOUR, '2026-01-05T10:20:00Z'],
      ['k2', 3, HOUR, '2026-01-05T10:20:00Z'],
      ['k2', 3, HOUR, '2026-01-05T10:21:00Z'],
      ['k2', 3, HOUR, '2026-01-05T10:22:00Z'],
      ['k2', 3, HOUR, '2026-01-05T10:23:00Z'],
      ['k1', 1, HOUR, '2026-01-05T11:00:00Z'],
      ['k2', 3, HOUR, '2026-01-05T11:20:30Z'],
      ['k3', 20, 60_000, '2026-01-05T11:20:30Z'],
    ];
    const run = async (limits: RuleState) => {
      const out: boolean[] = [];
      for (const [key, limit, window, time] of sequence) out.push(await limits.tryAcquire(`agree-${key}`, limit, window, at(time)));
      return out;
    };
    expect(await run(make())).toEqual(await run(memoryRuleState()));
  });
}

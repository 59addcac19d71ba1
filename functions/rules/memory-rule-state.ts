import type { RuleState } from '../core/rule-set.js';
import { fixedWindowIndex, slidingWindowAllows, usesSlidingWindow } from './limit-window.js';

const SWEEP_EVERY = 10_000;

/** RuleState in process memory: the CLI, tests, and a single local runtime. */
export function memoryRuleState(): RuleState {
  const sliding = new Map<string, { times: number[]; windowMs: number }>();
  const fixed = new Map<string, { window: number; count: number; windowMs: number }>();
  let operations = 0;

  function sweep(now: number): void {
    for (const [key, entry] of sliding) if (entry.times.every((time) => time <= now - entry.windowMs)) sliding.delete(key);
    for (const [key, entry] of fixed) if ((entry.window + 1) * entry.windowMs <= now) fixed.delete(key);
  }

  return {
    async tryAcquire(key, limit, windowMs, now) {
      if (++operations % SWEEP_EVERY === 0) sweep(now.getTime());
      if (limit <= 0) return false;
      if (usesSlidingWindow(limit)) {
        const entry = sliding.get(key) ?? { times: [], windowMs };
        if (!slidingWindowAllows(entry.times, limit, windowMs, now)) return false;
        entry.times = [...entry.times, now.getTime()].slice(-limit);
        sliding.set(key, entry);
        return true;
      }
      const window = fixedWindowIndex(now, windowMs);
      const entry = fixed.get(key);
      const count = entry && entry.window === window ? entry.count : 0;
      if (count >= limit) return false;
      fixed.set(key, { window, count: count + 1, windowMs });
      return true;
    },
    async peek(key, limit, windowMs, now) {
      if (usesSlidingWindow(limit)) {
        return (sliding.get(key)?.times ?? []).filter((time) => time > now.getTime() - windowMs).length;
      }
      const entry = fixed.get(key);
      return entry && entry.window === fixedWindowIndex(now, windowMs) ? entry.count : 0;
    },
  };
}

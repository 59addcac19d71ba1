/**
 * How RuleState counts, shared by the memory and DynamoDB implementations so both agree:
 * small allowances (cooldowns such as 1/24h, daily caps) use an exact sliding window over the
 * times of the last `limit` acquisitions; large ones (per-minute ceilings, hit hard during floods)
 * use a fixed-window atomic counter, which never contends.
 */
export const SLIDING_WINDOW_MAX_LIMIT = 8;

export function usesSlidingWindow(limit: number): boolean {
  return limit <= SLIDING_WINDOW_MAX_LIMIT;
}

/** Index of the fixed window holding `now`. */
export function fixedWindowIndex(now: Date, windowMs: number): number {
  return Math.floor(now.getTime() / windowMs);
}

/** With the last acquisitions' times (oldest first), may one more be taken at `now`? */
export function slidingWindowAllows(times: readonly number[], limit: number, windowMs: number, now: Date): boolean {
  const inWindow = times.filter((time) => time > now.getTime() - windowMs);
  return inWindow.length < limit;
}

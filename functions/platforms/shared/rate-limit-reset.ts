import type { OutboundResponse } from '../../core/http.js';
import { retryAfterMs } from './retry-after.js';

/** Epoch seconds above this are a time, below it a count of seconds (a day's worth is far under it). */
const EPOCH_THRESHOLD_S = 1_000_000_000;

/**
 * How long to wait after a 429, from whichever reset header the platform sends: X's `x-rate-limit-reset` (epoch
 * seconds), Bluesky's and Mastodon's `ratelimit-reset` (epoch seconds or, per the IETF draft, seconds to wait),
 * Reddit's `x-ratelimit-reset` (seconds to wait), or `Retry-After` (seconds or an HTTP date).
 */
export function resetWaitMs(response: OutboundResponse, now: Date): number | undefined {
  const header = (name: string) => {
    const key = Object.keys(response.headers).find((candidate) => candidate.toLowerCase() === name);
    return key === undefined ? undefined : response.headers[key];
  };
  const retryAfter = retryAfterMs(header('retry-after'), now.getTime());
  if (retryAfter !== undefined) return retryAfter;
  for (const name of ['x-rate-limit-reset', 'ratelimit-reset', 'x-ratelimit-reset']) {
    const value = header(name);
    if (value === undefined) continue;
    const parsed = Date.parse(value);
    const seconds = Number(value);
    if (Number.isFinite(seconds) && seconds >= 0)
      return Math.max(0, seconds > EPOCH_THRESHOLD_S ? seconds * 1000 - now.getTime() : seconds * 1000);
    // Mastodon documents an ISO 8601 time in X-RateLimit-Reset.
    if (!Number.isNaN(parsed)) return Math.max(0, parsed - now.getTime());
  }
  return undefined;
}

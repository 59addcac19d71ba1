import { MAX_RETRY_AFTER_MS } from '../../core/errors.js';

export { MAX_RETRY_AFTER_MS };

/**
 * `Retry-After` as seconds or an HTTP date, in milliseconds, never more than MAX_RETRY_AFTER_MS: a hostile or
 * broken header ("wait a year") must not park an action for good.
 */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return capped(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : capped(date - now);
}

function capped(ms: number): number {
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

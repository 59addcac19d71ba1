import type { OutboundResponse } from '../../core/http.js';

/** `X-Ratelimit-Reset`: seconds until Reddit's rate-limit window resets, in milliseconds. */
export function rateLimitResetMs(response: OutboundResponse): number | undefined {
  const key = Object.keys(response.headers).find((name) => name.toLowerCase() === 'x-ratelimit-reset');
  const seconds = key === undefined ? Number.NaN : Number(response.headers[key]);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

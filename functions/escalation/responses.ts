import { PermanentActionError, TransientActionError } from '../core/errors.js';
import type { OutboundResponse } from '../core/http.js';
import { retryAfterMs } from '../platforms/shared/retry-after.js';

/** When a target rate-limits without saying how long. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 30_000;

/**
 * The common reading of an alerting API's answer: 2xx delivered; 429 and 5xx transient (after
 * Retry-After when given), 408 too; any other 4xx permanent (a bad key or payload does not heal).
 */
export function interpretAlertingResponse(service: string, response: OutboundResponse, now: Date): void {
  if (response.status >= 200 && response.status < 300) return;
  const wait = retryAfterMs(header(response, 'retry-after'), now.getTime());
  const detail = response.body.slice(0, 500);
  if (response.status === 429)
    throw new TransientActionError(`${service} rate limit (HTTP 429)`, wait ?? DEFAULT_RATE_LIMIT_WAIT_MS, detail);
  if (response.status >= 500 || response.status === 408)
    throw new TransientActionError(`${service} answered HTTP ${response.status}`, wait, detail);
  throw new PermanentActionError(`${service} refused the request (HTTP ${response.status}): ${detail}`, detail);
}

export function header(response: OutboundResponse, name: string): string | undefined {
  const key = Object.keys(response.headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : response.headers[key];
}

export function jsonBody(response: OutboundResponse): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(response.body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

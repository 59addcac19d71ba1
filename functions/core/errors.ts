import type { OutboundRequest } from './http.js';

/** Base of every error Foghorn raises on purpose; `status` is the HTTP answer it maps to. */
export class FoghornError extends Error {
  readonly status: number;
  readonly detail: unknown;
  constructor(message: string, options: { status?: number; detail?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status ?? 500;
    this.detail = options.detail;
  }
}

/** The request is malformed: not JSON, too large, or missing what the platform always sends. */
export class BadRequestError extends FoghornError {
  constructor(message: string, detail?: unknown) {
    super(message, { status: 400, detail });
  }
}

/** The signature is missing or does not match: nothing is stored. */
export class SignatureError extends FoghornError {
  constructor(message: string, detail?: unknown) {
    super(message, { status: 401, detail });
  }
}

export class PayloadTooLargeError extends FoghornError {
  constructor(limitBytes: number, actualBytes: number) {
    super(`body is ${actualBytes} bytes; the limit is ${Math.floor(limitBytes / 1024)} KB (${limitBytes} bytes)`, {
      status: 413,
      detail: { limitBytes, actualBytes },
    });
  }
}

export class UnknownPlatformError extends FoghornError {
  constructor(platform: string, known: readonly string[]) {
    super(`unknown platform '${platform}'`, { status: 404, detail: { known } });
  }
}

/** A platform whose inbound secret is not configured refuses its webhooks and names the variable. */
export class NotConfiguredError extends FoghornError {
  constructor(platform: string, missing: readonly string[]) {
    super(`platform '${platform}' is not configured: set ${missing.join(', ')}`, { status: 503, detail: { missing } });
  }
}

/** A signed payload that cannot be turned into canonical events; it is quarantined, not lost. */
export class NormaliseError extends FoghornError {
  constructor(message: string, detail?: unknown) {
    super(message, { status: 422, detail });
  }
}

/** An outbound call failed in a way a retry will not fix (invalid token, deleted comment). */
export class PermanentActionError extends FoghornError {
  constructor(message: string, detail?: unknown) {
    super(message, { status: 502, detail });
  }
}

/** The longest wait a platform's retry hint (Retry-After, `retry_after`, a rate-limit reset) can impose; docs/delivery.md. */
export const MAX_RETRY_AFTER_MS = 15 * 60_000;

/** An outbound call failed for now; retry no sooner than `retryAfterMs`, which is capped at MAX_RETRY_AFTER_MS. */
export class TransientActionError extends FoghornError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs?: number, detail?: unknown) {
    const atCap = retryAfterMs !== undefined && retryAfterMs >= MAX_RETRY_AFTER_MS;
    const seconds = MAX_RETRY_AFTER_MS / 1000;
    // The reason recorded on the action says when the wait is the cap rather than what the platform asked.
    super(atCap ? `${message} (waiting ${seconds} s: Foghorn waits at most ${seconds} s on a platform's retry hint)` : message, {
      status: 503,
      detail,
    });
    this.retryAfterMs = atCap ? MAX_RETRY_AFTER_MS : retryAfterMs;
  }
}

/**
 * An outbound call that got no answer after the request may have left (a timeout, a connection reset
 * mid-response, a body that could not be read): it may have reached the platform, so it must never be
 * blindly retried. A TransientActionError for callers that know no better (they retry, as before).
 */
export class AmbiguousActionError extends TransientActionError {
  /** The request that may have been sent (secrets redacted), for the action record. */
  readonly request: OutboundRequest | undefined;
  constructor(message: string, options: { detail?: unknown; request?: OutboundRequest } = {}) {
    super(message, undefined, options.detail);
    this.request = options.request;
  }
}

import { AmbiguousActionError, TransientActionError } from '../errors.js';
import type { HttpSender, OutboundRequest, OutboundResponse } from '../http.js';

export interface LiveSenderOptions {
  /** Give up on a call after this long (it may still have reached the platform). Default 10 s. */
  timeoutMs?: number;
  /** Injected for tests and proxies; global fetch by default. */
  fetch?: typeof globalThis.fetch;
}

/**
 * Sends requests for real. Any answer, 4xx and 5xx included, is returned for the connector to judge;
 * only a call that got no answer throws, naming the method and origin — never the full URL, which may
 * carry a token in its path. A call that never left (connection refused, no such host) throws a
 * TransientActionError: safe to send again. A call that may have left (a timeout, a connection reset,
 * a body that could not be read) throws an AmbiguousActionError: the platform may have acted on it.
 */
export class LiveSender implements HttpSender {
  readonly mode = 'live' as const;
  private readonly timeoutMs: number;
  private readonly fetch: typeof globalThis.fetch;

  constructor(options: LiveSenderOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    if (!(this.timeoutMs > 0)) throw new Error(`LiveSender: timeoutMs must be positive, got ${options.timeoutMs}`);
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async send(request: OutboundRequest): Promise<OutboundResponse> {
    const target = `${request.method} ${originOf(request.url)}`;
    let response: Response;
    try {
      response = await this.fetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const description = `${target}: ${describeFailure(error, this.timeoutMs, request.url)}`;
      if (neverSent(error)) throw new TransientActionError(description);
      throw new AmbiguousActionError(`${description} (the request may have reached the platform)`);
    }
    let body: string;
    try {
      body = await response.text();
    } catch (error) {
      throw new AmbiguousActionError(
        `${target}: answered ${response.status} but the body could not be read: ${describeFailure(error, this.timeoutMs, request.url)} (the request may have reached the platform)`,
      );
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    return { status: response.status, headers, body };
  }
}

/** Failures before a connection carried the request: nothing reached the platform. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);

/** Anything not known to have failed before sending counts as possibly sent: a timeout may fire after the bytes left. */
function neverSent(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' && NOT_SENT_CODES.has(cause.code);
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}

/** What went wrong, without the URL (fetch quotes it in some messages, and it may hold a token). */
function describeFailure(error: unknown, timeoutMs: number, url: string): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  const message = error instanceof Error ? error.message : String(error);
  return message.split(url).join(originOf(url));
}

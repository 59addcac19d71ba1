import { TransientActionError } from '../errors.js';
import type { HttpSender, OutboundRequest, OutboundResponse } from '../http.js';

export interface LiveSenderOptions {
  /** Give up on a call after this long (it may still have reached the platform). Default 10 s. */
  timeoutMs?: number;
  /** Injected for tests and proxies; global fetch by default. */
  fetch?: typeof globalThis.fetch;
}

/**
 * Sends requests for real. Any answer, 4xx and 5xx included, is returned for the connector to judge;
 * only a call that got no answer (timeout, refused, reset) throws, as a TransientActionError naming the
 * method and origin — never the full URL, which may carry a token in its path.
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
      throw new TransientActionError(`${target}: ${describeFailure(error, this.timeoutMs, request.url)}`);
    }
    let body: string;
    try {
      body = await response.text();
    } catch (error) {
      throw new TransientActionError(
        `${target}: answered ${response.status} but the body could not be read: ${describeFailure(error, this.timeoutMs, request.url)}`,
      );
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    return { status: response.status, headers, body };
  }
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

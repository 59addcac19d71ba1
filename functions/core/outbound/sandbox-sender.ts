import type { HttpSender, OutboundRequest, OutboundResponse } from '../http.js';

export interface SandboxSenderOptions {
  /** A platform-shaped answer, for callers that read the response; a plain JSON 200 by default. */
  respond?: (request: OutboundRequest) => OutboundResponse;
}

/**
 * Sandbox mode: nothing leaves the machine. It answers with a synthetic 200 and keeps nothing; the caller
 * records the (redacted) request on the action, so the record is the only trace, as in live mode.
 */
export class SandboxSender implements HttpSender {
  readonly mode = 'sandbox' as const;
  private readonly respond: (request: OutboundRequest) => OutboundResponse;

  constructor(options: SandboxSenderOptions = {}) {
    this.respond =
      options.respond ??
      (() => ({
        status: 200,
        headers: { 'content-type': 'application/json', 'x-foghorn-sandbox': 'true' },
        body: '{"ok":true,"sandbox":true}',
      }));
  }

  async send(request: OutboundRequest): Promise<OutboundResponse> {
    return this.respond(request);
  }
}

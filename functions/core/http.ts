/** An inbound webhook as received, before anything trusts it. Header names are lower-case. */
export interface InboundRequest {
  method: string;
  /** The platform segment of `/webhooks/{platform}`. */
  platform: string;
  headers: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string>>;
  /** Exactly the bytes received: signatures are computed over these. */
  rawBody: Buffer;
  receivedAt: Date;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else is sent as JSON. */
  body?: unknown;
}

/** An outbound HTTP request, exactly as it would be sent (and as sandbox mode records it). */
export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  /** Already serialised (JSON or form-encoded), so the recorded request is byte for byte what goes out. */
  body?: string;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends (live) or records (sandbox) an outbound request. */
export interface HttpSender {
  readonly mode: 'live' | 'sandbox';
  send(request: OutboundRequest): Promise<OutboundResponse>;
}

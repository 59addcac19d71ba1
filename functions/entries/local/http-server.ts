import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';

/** A route of the local HTTP server: gets the parsed request, answers status + JSON or text. */
export type LocalRoute = (request: LocalRequest) => Promise<LocalAnswer> | LocalAnswer;

export interface LocalRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface LocalAnswer {
  status: number;
  headers?: Record<string, string>;
  /** JSON, text, or bytes sent as they are (with the `content-type` the headers give). */
  body?: unknown;
  /** A long answer (Server-Sent Events): written to after the headers until either side closes it. */
  stream?: (sink: LocalStreamSink) => void;
}

/** The open end of a streamed answer. */
export interface LocalStreamSink {
  write(chunk: string): void;
  end(): void;
  /** Called once, when the client goes away, the stream is ended, or the server closes. */
  onClose(listener: () => void): void;
}

/** Looks at a request before any route: an answer refuses it, undefined lets it through. */
export type LocalGuard = (request: Pick<LocalRequest, 'method' | 'path' | 'headers'>) => LocalAnswer | undefined;

/** Wraps every route, after the guard and with the body read: answers itself, or hands the request (changed or not) to `next`. */
export type LocalFilter = (request: LocalRequest, next: (request: LocalRequest) => Promise<LocalAnswer>) => Promise<LocalAnswer>;

interface RouteEntry {
  method: string;
  pattern: RegExp;
  names: string[];
  path: string;
  route: LocalRoute;
}

/** Turns `/webhooks/{platform}` into a matcher with named segments. */
function compilePath(path: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const match = /^\{(\w+)\}$/.exec(segment);
      if (!match?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(match[1]);
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), names };
}

/** A tiny router on node:http (the local stand-in for API Gateway); bodies are capped before they are read whole. */
export class LocalHttpServer {
  private readonly routes: RouteEntry[] = [];
  private readonly streams = new Set<ServerResponse>();
  private fallback: LocalRoute | undefined;
  private readonly filters: LocalFilter[] = [];
  private readonly listeners: Array<(port: number) => void> = [];
  private server: Server | undefined;

  constructor(private readonly options: { maxBodyBytes: number; onError: (error: unknown) => void; guard?: LocalGuard }) {}

  add(method: string, path: string, route: LocalRoute): this {
    this.routes.push({ method, path, ...compilePath(path), route });
    return this;
  }

  /** Runs `filter` around every route, the fallback included; filters added first run outermost. */
  use(filter: LocalFilter): this {
    this.filters.push(filter);
    return this;
  }

  /** Called with the bound port once the server listens. */
  onListening(listener: (port: number) => void): this {
    this.listeners.push(listener);
    return this;
  }

  /** Answers the GET requests no route matches (the console's pages and files); its 404 is the server's own. */
  otherwise(route: LocalRoute): this {
    this.fallback = route;
    return this;
  }

  /** Every route as added: method and path template. */
  routeList(): Array<{ method: string; path: string }> {
    return this.routes.map(({ method, path }) => ({ method, path }));
  }

  async listen(port: number, host: string): Promise<number> {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(port, host, () => resolve());
    });
    const { port: bound } = this.server.address() as AddressInfo;
    for (const listener of this.listeners) listener(bound);
    return bound;
  }

  /** The bound port (0 before listen). */
  get port(): number {
    const address = this.server?.address();
    return address && typeof address === 'object' ? (address as AddressInfo).port : 0;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    for (const stream of this.streams) stream.end();
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private filtered(route: LocalRoute): (request: LocalRequest) => Promise<LocalAnswer> {
    return this.filters.reduceRight<(request: LocalRequest) => Promise<LocalAnswer>>(
      (next, filter) => (request) => filter(request, next),
      async (request) => route(request),
    );
  }

  /** Sends the answer; a streamed one stays open, and is ended by `close()` so a stop never waits on a listener. */
  private answer(res: ServerResponse, answer: LocalAnswer): void {
    const { stream } = answer;
    if (!stream) {
      send(res, answer);
      return;
    }
    res.writeHead(answer.status, answer.headers);
    res.flushHeaders();
    this.streams.add(res);
    const listeners: Array<() => void> = [];
    res.once('close', () => {
      this.streams.delete(res);
      for (const listener of listeners.splice(0)) listener();
    });
    stream({
      write: (chunk) => {
        if (!res.writableEnded) res.write(chunk);
      },
      end: () => res.end(),
      onClose: (listener) => {
        if (res.destroyed || res.writableFinished) listener();
        else listeners.push(listener);
      },
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const candidates = this.routes.filter((entry) => entry.pattern.test(url.pathname));
      if (candidates.length === 0 && this.fallback && req.method === 'GET') {
        candidates.push({ method: 'GET', path: url.pathname, pattern: /^/, names: [], route: this.fallback });
      }
      if (candidates.length === 0) return send(res, { status: 404, body: { error: `no route for ${url.pathname}`, detail: null } });
      const entry = candidates.find((candidate) => candidate.method === req.method);
      if (!entry) {
        const allowed = [...new Set(candidates.map((c) => c.method))];
        return send(res, {
          status: 405,
          headers: { allow: allowed.join(', ') },
          body: { error: `${req.method} is not allowed on ${url.pathname}`, detail: { allowed } },
        });
      }
      // After the route is known (404 and 405 reveal only what the README lists), before anything is decoded or read.
      // The guard and the routes read the same normalised path, so `/webhooks/../api/…` cannot slip past one of them.
      const refused = this.options.guard?.({ method: entry.method, path: url.pathname, headers: req.headers });
      if (refused) {
        req.resume();
        return send(res, refused);
      }
      const params = pathParameters(entry, url.pathname);
      if ('bad' in params) {
        req.resume();
        const { parameter, segment } = params.bad;
        return send(res, {
          status: 400,
          body: { error: `path segment '${segment}' (${parameter}) is not valid percent-encoded UTF-8`, detail: { parameter, segment } },
        });
      }
      const body = await readBody(req, this.options.maxBodyBytes);
      if (body === 'too-large') {
        return send(res, {
          status: 413,
          body: {
            error: `body is larger than ${Math.floor(this.options.maxBodyBytes / 1024)} KB`,
            detail: { limitBytes: this.options.maxBodyBytes, limitKb: Math.floor(this.options.maxBodyBytes / 1024) },
          },
        });
      }
      this.answer(
        res,
        await this.filtered(entry.route)({
          method: req.method ?? 'GET',
          path: url.pathname,
          params: params.values,
          query: url.searchParams,
          headers: req.headers,
          body,
        }),
      );
    } catch (error) {
      this.options.onError(error);
      send(res, { status: 500, body: { error: 'internal error', detail: null } });
    }
  }
}

/** The route's named segments, percent-decoded; the first segment that does not decode is reported instead. */
function pathParameters(
  entry: RouteEntry,
  pathname: string,
): { values: Record<string, string> } | { bad: { parameter: string; segment: string } } {
  const match = entry.pattern.exec(pathname);
  const values: Record<string, string> = {};
  for (const [index, name] of entry.names.entries()) {
    const segment = match?.[index + 1] ?? '';
    try {
      values[name] = decodeURIComponent(segment);
    } catch {
      return { bad: { parameter: name, segment } };
    }
  }
  return { values };
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return 'too-large';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, answer: LocalAnswer): void {
  if (Buffer.isBuffer(answer.body)) {
    res.writeHead(answer.status, { 'content-type': 'application/octet-stream', ...answer.headers });
    res.end(answer.body);
    return;
  }
  const isText = typeof answer.body === 'string';
  const payload = answer.body === undefined ? '' : isText ? (answer.body as string) : JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json', ...answer.headers });
  res.end(payload);
}

/** The API Gateway HTTP API (payload v2) event for a local request, so the Lambda handler runs unchanged. */
export function toApiGatewayEvent(request: LocalRequest, routeKey: string): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query = Object.fromEntries(request.query.entries());
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: request.path,
    rawQueryString: request.query.toString(),
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    pathParameters: request.params,
    body: request.body.toString('base64'),
    isBase64Encoded: true,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: `local-${now.getTime()}-${Math.random().toString(36).slice(2, 10)}`,
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
  };
}

/** The Lambda's API Gateway result as a local answer. */
export function fromApiGatewayResult(result: APIGatewayProxyResultV2): LocalAnswer {
  if (typeof result === 'string') return { status: 200, body: result };
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]));
  const isJson = (headers['content-type'] ?? '').includes('json');
  const body = result.body ?? '';
  return { status: result.statusCode ?? 200, headers, body: isJson && body ? JSON.parse(body) : body };
}

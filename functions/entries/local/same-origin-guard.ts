import type { LocalAnswer, LocalGuard } from './http-server.js';

export interface OwnAddress {
  /** The bound port (read per request: the runtime may have asked for port 0). */
  port(): number;
  /** The interface the server listens on (127.0.0.1 by default). */
  host: string;
  /** FOGHORN_PUBLIC_URL: the tunnel or proxy in front of the runtime, whose origin is the runtime's own too. */
  publicUrl?: string | undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const JSON_MEDIA_TYPE = 'application/json';

/**
 * Keeps web pages from driving the local API. A page cannot set `Host`, so a foreign one means DNS rebinding:
 * refused for reads too. A change must also come from no origin or the runtime's own, as application/json, which a
 * page can only send after a CORS preflight that the runtime never grants; a body-less change needs it as well,
 * because a POST without a body or Content-Type is a request a page can send without asking.
 * Webhooks are left alone: platforms reach them through tunnels under their own Host, with form bodies, and
 * prove themselves with signatures instead.
 */
export function sameOriginGuard(own: OwnAddress): LocalGuard {
  const publicUrl = parseUrl(own.publicUrl);
  return ({ method, path, headers }) => {
    if (path === '/webhooks' || path.startsWith('/webhooks/')) return undefined;
    const port = own.port();
    const hosts = unique([`${own.host}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, ...(publicUrl ? [publicUrl.host] : [])]);
    const host = headers.host?.toLowerCase();
    if (host === undefined || !hosts.includes(host)) {
      return refuse(
        403,
        host === undefined
          ? 'the request has no Host header: the API answers only to its own address'
          : `Host '${headers.host}' is not this runtime's: the API answers only to its own address`,
        { host: headers.host ?? null, allowed: hosts },
      );
    }
    if (SAFE_METHODS.has(method)) return undefined;

    const origins = unique([
      `http://${own.host}:${port}`,
      `http://127.0.0.1:${port}`,
      `http://localhost:${port}`,
      ...(publicUrl ? [publicUrl.origin] : []),
    ]);
    const origin = headers.origin;
    if (origin !== undefined && !origins.includes(origin.toLowerCase())) {
      return refuse(403, `Origin '${origin}' is not this runtime's: a web page cannot change Foghorn`, { origin, allowed: origins });
    }
    const contentType = headers['content-type'];
    const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
    if (mediaType !== JSON_MEDIA_TYPE) {
      return refuse(
        415,
        contentType === undefined
          ? `the request has no Content-Type: a change to Foghorn must be sent as ${JSON_MEDIA_TYPE}, even without a body`
          : `Content-Type '${contentType}' is refused: a change to Foghorn must be sent as ${JSON_MEDIA_TYPE}`,
        { contentType: contentType ?? null, expected: JSON_MEDIA_TYPE },
      );
    }
    return undefined;
  };
}

function refuse(status: number, error: string, detail: Record<string, unknown>): LocalAnswer {
  return { status, body: { error, detail } };
}

function parseUrl(raw: string | undefined): URL | undefined {
  if (!raw) return undefined;
  try {
    return new URL(raw);
  } catch {
    throw new Error(`FOGHORN_PUBLIC_URL must be an absolute URL such as https://foghorn.example.com, got '${raw}'`);
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values.map((value) => value.toLowerCase()))];
}

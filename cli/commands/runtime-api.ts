import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliIo } from '../io.js';
import { runtimeFetch } from '../signed-fetch.js';

/** Where the running Foghorn answers: --url, else FOGHORN_URL, else the local runtime's FOGHORN_PORT (./.env counts), else 8787. */
export function runtimeUrl(given: string | undefined, io: CliIo): string {
  return (given ?? io.env.FOGHORN_URL ?? `http://127.0.0.1:${io.env.FOGHORN_PORT ?? '8787'}`).replace(/\/+$/, '');
}

/** The API token the CLI sends, and where it came from (for the message when it is refused). */
export interface ApiCredential {
  token: string;
  from: string;
  /**
   * Sent with reads too (FOGHORN_API_TOKEN, for a runtime behind a tunnel); the data folder's token only with changes,
   * so a file left by an earlier start never gets a read refused.
   */
  withReads: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The API token for `base`: FOGHORN_API_TOKEN (the environment or ./.env), else, for a Foghorn on this machine,
 * the one `npm start` wrote for this start to `<FOGHORN_DATA>/api-token` (default .foghorn/). That file is never
 * sent to another host.
 */
export function apiCredentialFor(base: string, io: CliIo): ApiCredential | undefined {
  const configured = io.env.FOGHORN_API_TOKEN?.trim();
  if (configured) return { token: configured, from: 'FOGHORN_API_TOKEN', withReads: true };
  let host: string;
  try {
    host = new URL(base).hostname;
  } catch {
    return undefined;
  }
  if (!LOOPBACK.has(host)) return undefined;
  const file = resolve(io.cwd, io.env.FOGHORN_DATA || '.foghorn', 'api-token');
  try {
    const token = readFileSync(file, 'utf8').trim();
    return token ? { token, from: file, withReads: false } : undefined;
  } catch {
    return undefined;
  }
}

/** The API answered with an error (`status`), or could not be reached (no `status`): its message, and exit code 1. */
export class RuntimeApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Calls the runtime's JSON API; an error answer becomes a RuntimeApiError with the API's own message. */
export async function callRuntime<T>(
  base: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  credential?: ApiCredential,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  let response: Response;
  try {
    const headers: Record<string, string> = {
      ...extraHeaders,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(credential && (method !== 'GET' || credential.withReads) ? { authorization: `Bearer ${credential.token}` } : {}),
    };
    response = await runtimeFetch(`${base}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new RuntimeApiError(
      `cannot reach Foghorn at ${base} (is it running? set --url, FOGHORN_URL or FOGHORN_PORT, in the environment or ./.env): ${(error as Error).message}`,
    );
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new RuntimeApiError(
      `${method} ${path} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`,
      response.status,
    );
  }
  if (!response.ok) {
    const message = (json as { error?: unknown }).error;
    throw new RuntimeApiError(
      `${method} ${path} answered ${response.status}: ${typeof message === 'string' ? message : text.slice(0, 200)}${response.status === 401 ? tokenHint(credential) : ''}`,
      response.status,
    );
  }
  return json as T;
}

function tokenHint(credential: ApiCredential | undefined): string {
  return credential
    ? ` (the CLI sent the token from ${credential.from})`
    : ' (the CLI found no token: set FOGHORN_API_TOKEN, or run it where npm start runs, so it finds .foghorn/api-token, or set FOGHORN_DATA)';
}

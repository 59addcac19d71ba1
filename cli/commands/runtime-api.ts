import type { CliIo } from '../io.js';

/** Where the running Foghorn answers: --url, else FOGHORN_URL, else the local runtime's FOGHORN_PORT (./.env counts), else 8787. */
export function runtimeUrl(given: string | undefined, io: CliIo): string {
  return (given ?? io.env.FOGHORN_URL ?? `http://127.0.0.1:${io.env.FOGHORN_PORT ?? '8787'}`).replace(/\/+$/, '');
}

/** The API answered with an error: its message, and exit code 1. */
export class RuntimeApiError extends Error {}

/** Calls the runtime's JSON API; an error answer becomes a RuntimeApiError with the API's own message. */
export async function callRuntime<T>(base: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
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
    throw new RuntimeApiError(`${method} ${path} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  if (!response.ok) {
    const message = (json as { error?: unknown }).error;
    throw new RuntimeApiError(
      `${method} ${path} answered ${response.status}: ${typeof message === 'string' ? message : text.slice(0, 200)}`,
    );
  }
  return json as T;
}

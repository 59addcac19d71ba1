import { accessToken, deployment } from './aws-sign-in.js';

/**
 * Calls to Foghorn's API from the console: same origin, cookies included, changes sent as JSON. On AWS (a deployed
 * config.json) with the Cognito access token as `Authorization: Bearer …` instead of a session cookie.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The deployment serves no such route (yet): the page says so instead of showing an error. */
    readonly unavailable = false,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Called when the API says the session is gone: the console goes to the sign-in page. */
let onSignedOut: () => void = () => {};
export function whenSignedOut(listener: () => void): void {
  onSignedOut = listener;
}

async function call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const sendsBody = method !== 'GET';
  let response: Response;
  const aws = deployment() !== undefined;
  const token = aws ? await accessToken() : undefined;
  if (aws && !token) {
    onSignedOut();
    throw new ApiError(401, 'Sign in to use the console.');
  }
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        ...(sendsBody ? { 'content-type': 'application/json' } : {}),
        accept: 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(sendsBody ? { body: JSON.stringify(body ?? {}) } : {}),
    });
  } catch {
    throw new ApiError(0, 'Foghorn cannot be reached. Is it running?');
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    // API Gateway's answer for a route the HTTP API does not have: a page this deployment cannot serve yet.
    if (aws && response.status === 404 && (parsed as { message?: unknown } | undefined)?.message === 'Not Found') {
      throw new ApiError(404, 'not available on this deployment yet', true);
    }
    if (response.status === 401 && !path.startsWith('/api/login')) onSignedOut();
    const message = (parsed as { error?: unknown } | undefined)?.error;
    throw new ApiError(response.status, typeof message === 'string' ? message : `Foghorn answered ${response.status}`);
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string): Promise<T> => call<T>('GET', path),
  post: <T>(path: string, body?: unknown): Promise<T> => call<T>('POST', path, body),
  delete: <T>(path: string, body?: unknown): Promise<T> => call<T>('DELETE', path, body),
};

/** A query string from the parameters that have a value. */
export function query(parameters: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined && value !== '') search.set(name, value);
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

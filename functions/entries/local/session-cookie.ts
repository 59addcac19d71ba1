import type { IncomingHttpHeaders } from 'node:http';

/** The console's session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it). */
export const SESSION_COOKIE = 'foghorn_session';

/** The session id the request's `Cookie` header carries, if any. */
export function sessionIdOf(headers: IncomingHttpHeaders): string | undefined {
  for (const pair of (headers.cookie ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator < 0) continue;
    if (pair.slice(0, separator).trim() !== SESSION_COOKIE) continue;
    const value = pair.slice(separator + 1).trim();
    return value === '' ? undefined : value;
  }
  return undefined;
}

/** `Set-Cookie` for a new session; `secure` when the console is reached over HTTPS (FOGHORN_PUBLIC_URL). */
export function sessionCookie(id: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/${secure ? '; Secure' : ''}`;
}

/** `Set-Cookie` that makes the browser drop the session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${secure ? '; Secure' : ''}`;
}

import type { IncomingHttpHeaders } from 'node:http';
import { accessFor, isSignInRoute } from '../../auth/api-access.js';
import { auditName, type Principal } from '../../auth/principal.js';
import { hasRole } from '../../auth/roles.js';
import type { Session, SessionStore } from '../../auth/sessions.js';
import type { OneTimeToken } from '../../auth/sign-in-link.js';
import type { UserDirectory } from '../../auth/user-directory.js';
import type { ApiToken } from './api-token.js';
import type { LocalAnswer, LocalFilter, LocalRequest } from './http-server.js';
import { sessionCookie, sessionIdOf } from './session-cookie.js';

/** What the sign-in guard and routes share. */
export interface SignInContext {
  sessions: SessionStore;
  users: UserDirectory;
  apiToken: ApiToken;
  /** The one-time admin link, when no console user is configured. */
  signInLink: OneTimeToken | undefined;
  /** The request reached the runtime over HTTPS (through FOGHORN_PUBLIC_URL), so its cookie is Secure. */
  isSecure(headers: IncomingHttpHeaders): boolean;
}

export type Caller =
  | { principal: Principal; session?: Session }
  | { principal: undefined; sessionEnded: boolean }
  | { refused: LocalAnswer };

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Who may do what on the API, after the same-origin guard has refused foreign Hosts and Origins and changes not
 * sent as JSON. A change needs a session (the `foghorn_session` cookie) or the API token (`Authorization: Bearer`,
 * an admin), and the role its route asks for (functions/auth/api-access.ts): 401 without either, 403 naming the
 * role it needs. The caller then replaces the `who` of a decision, so the audit records `user:<name>` (a session)
 * rather than what the body claims. Reads stay open on the loopback address (the README's curl tour); through
 * FOGHORN_PUBLIC_URL they need a session or the token too. `GET /login?token=…` spends the one-time link.
 */
export function authGuard(context: SignInContext): LocalFilter {
  return async (request, next) => {
    const { method, path } = request;
    if (method === 'GET' && path === '/login' && request.query.has('token')) return signInWithLink(context, request);
    if (!path.startsWith('/api/')) return next(request);
    const caller = callerOf(context, request.headers);
    if ('refused' in caller) return caller.refused;
    if (isSignInRoute(method, path)) return next(request);
    const access = accessFor(method, path);
    const { principal } = caller;
    if (principal === undefined) {
      if (access.ability === 'read' && isLoopback(request.headers.host)) return next(request);
      return unauthorized(caller.sessionEnded, access.ability === 'read');
    }
    if (!hasRole(principal.role, access.role)) {
      const who = principal.kind === 'user' ? `${principal.name} is ${principal.role}` : `the token is ${principal.role}`;
      return {
        status: 403,
        body: { error: `this needs the ${access.role} role; ${who}`, detail: { needed: access.role, role: principal.role } },
      };
    }
    return next(access.recordsWho ? withWho(request, principal) : request);
  };
}

/** The principal behind a request: the API token, else a live session; a wrong token is refused outright. */
export function callerOf(context: SignInContext, headers: IncomingHttpHeaders): Caller {
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match?.[1] && context.apiToken.matches(match[1])) return { principal: { kind: 'token', role: 'admin' } };
    return {
      refused: {
        status: 401,
        body: {
          error: match
            ? "the API token is not this runtime's: without FOGHORN_API_TOKEN it makes a new one at each start, in <FOGHORN_DATA>/api-token"
            : 'Authorization must be "Bearer <FOGHORN_API_TOKEN>"',
          detail: null,
        },
      },
    };
  }
  const id = sessionIdOf(headers);
  if (id === undefined) return { principal: undefined, sessionEnded: false };
  const session = context.sessions.resolve(id);
  if (!session) return { principal: undefined, sessionEnded: true };
  if (session.via === 'link') return { principal: { kind: 'user', name: session.name, role: session.role }, session };
  // A user removed from the config since signing in is signed out; a changed role counts at once.
  const user = context.users.find(session.name);
  if (!user) {
    context.sessions.end(id);
    return { principal: undefined, sessionEnded: true };
  }
  return { principal: { kind: 'user', name: user.name, role: user.role }, session };
}

function signInWithLink(context: SignInContext, request: LocalRequest): LocalAnswer {
  const outcome = context.signInLink?.consume(request.query.get('token') ?? '') ?? 'wrong';
  if (outcome !== 'signed-in') {
    const why = { wrong: 'is not valid', used: 'was used already', expired: 'has expired' }[outcome];
    return {
      status: 401,
      headers: { 'cache-control': 'no-store' },
      body: `This sign-in link ${why}: it works once, for an hour. Sign in with a name and password, or restart Foghorn for a new link.\n`,
    };
  }
  const session = context.sessions.create({ name: 'admin', role: 'admin', via: 'link' });
  return {
    status: 303,
    headers: {
      location: '/feed',
      'set-cookie': sessionCookie(session.id, context.isSecure(request.headers)),
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    },
    body: 'Signed in: continue at /feed\n',
  };
}

/** The body's `who`, as the caller is known: `user:<name>`; with the token, the person the request names, else `token`. */
function withWho(request: LocalRequest, principal: Principal): LocalRequest {
  let fields: unknown;
  try {
    fields = request.body.length === 0 ? {} : JSON.parse(request.body.toString('utf8'));
  } catch {
    return request;
  }
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) return request;
  const named = (fields as Record<string, unknown>).who;
  const who = principal.kind === 'token' && typeof named === 'string' && named.trim() !== '' ? named : auditName(principal);
  return { ...request, body: Buffer.from(JSON.stringify({ ...fields, who })) };
}

function unauthorized(sessionEnded: boolean, read: boolean): LocalAnswer {
  const what = read ? 'through this address a read' : 'a change';
  return {
    status: 401,
    body: {
      error: sessionEnded
        ? 'your session has ended: sign in again (POST /api/login, or the console at /login)'
        : `sign in first: ${what} needs a session (POST /api/login, or the console at /login) or the API token (Authorization: Bearer $FOGHORN_API_TOKEN)`,
      detail: { signIn: '/login' },
    },
  };
}

function isLoopback(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = host.toLowerCase().replace(/:\d+$/, '');
  return LOOPBACK_HOSTS.has(name);
}

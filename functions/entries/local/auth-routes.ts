import type { IncomingHttpHeaders } from 'node:http';
import type { AppLogger } from '../../app/adapters.js';
import { SignInBusyError } from '../../auth/errors.js';
import { SessionStore } from '../../auth/sessions.js';
import { DEFAULT_SIGN_IN_LINK_TTL_MS, OneTimeToken } from '../../auth/sign-in-link.js';
import { UserDirectory } from '../../auth/user-directory.js';
import type { Clock } from '../../core/ports.js';
import type { Settings } from '../../core/settings.js';
import { findConfigPath } from '../../rules/config.js';
import { localApiToken } from './api-token.js';
import { authGuard, callerOf, type SignInContext } from './auth-guard.js';
import type { LocalAnswer, LocalHttpServer, LocalRequest } from './http-server.js';
import { clearedSessionCookie, sessionCookie, sessionIdOf } from './session-cookie.js';

export interface LocalAuthOptions {
  dataDir: string;
  rulesDir: string;
  settings: Settings;
  logger: AppLogger;
  /** The interface the server listens on: the printed sign-in link uses it (127.0.0.1 for a wildcard). */
  host: string;
  clock?: Clock;
  /** The person a console user is and their teams (people: and teams: of the team config), for `GET /api/me`. */
  identity?: (user: string) => { person?: string; teams: string[] };
}

/**
 * Sign-in and roles for the local runtime: the guard around every route (auth-guard.ts), `POST /api/login`,
 * `POST /api/logout` and `GET /api/me`, the API token, and the one-time admin link printed at start when
 * foghorn.config.yaml configures no console user.
 */
export function installLocalAuth(server: LocalHttpServer, options: LocalAuthOptions): SignInContext {
  const { settings, logger } = options;
  const configPath = findConfigPath(options.rulesDir, { FOGHORN_CONFIG: settings.get('FOGHORN_CONFIG') });
  const users = new UserDirectory(configPath, (error) =>
    logger.error('console users: the config no longer parses; the users read before stay in force', { error }),
  );
  const publicUrl = parsedUrl(settings.get('FOGHORN_PUBLIC_URL'));
  const context: SignInContext = {
    sessions: new SessionStore(options.clock ? { clock: options.clock } : {}),
    users,
    apiToken: localApiToken(settings, options.dataDir),
    signInLink: users.list().length === 0 ? new OneTimeToken(options.clock ? { clock: options.clock } : {}) : undefined,
    isSecure: (headers) => publicUrl?.protocol === 'https:' && headers.host?.toLowerCase() === publicUrl.host,
  };

  server.use(authGuard(context));
  server.add('POST', '/api/login', (request) => signIn(context, request));
  server.add('POST', '/api/logout', ({ headers }) => {
    const id = sessionIdOf(headers);
    const ended = id !== undefined && context.sessions.end(id);
    return { status: 200, headers: { 'set-cookie': clearedSessionCookie(context.isSecure(headers)) }, body: { signedOut: ended } };
  });
  server.add('GET', '/api/me', ({ headers }) => me(context, headers, options.identity));

  const apiTokenSource = context.apiToken.source;
  server.onListening((port) => {
    if ('file' in apiTokenSource) logger.info('the API token for this start is in its file (the foghorn command reads it)', apiTokenSource);
    const link = context.signInLink;
    if (!link) return;
    const minutes = Math.round(DEFAULT_SIGN_IN_LINK_TTL_MS / 60_000);
    // The link on a line of its own, as Jupyter prints it, so a terminal makes it clickable. Printed for the person,
    // never as a log record: the token is a credential until it is used.
    const text = `no console users are configured (console.users in ${configPath ?? 'foghorn.config.yaml'}): sign in as admin with this link, once, within ${minutes} minutes:\nhttp://${linkHost(options.host)}:${port}/login?token=${link.value}`;
    if (!logger.announce) return logger.info(text);
    logger.announce(text);
    logger.info('a one-time admin sign-in link is printed (no console users are configured)', { expiresInMinutes: minutes });
  });
  return context;
}

/** `POST /api/login`: a user of console.users, by name and password, gets a session cookie. */
async function signIn(context: SignInContext, { headers, body }: LocalRequest): Promise<LocalAnswer> {
  const fields = jsonFields(body);
  if (typeof fields?.name !== 'string' || typeof fields.password !== 'string' || fields.name === '') {
    return { status: 400, body: { error: 'sign in with {"name": "…", "password": "…"}', detail: { parameter: 'body' } } };
  }
  const user = await context.users.authenticate(fields.name, fields.password).catch((error: unknown) => {
    if (error instanceof SignInBusyError) return error;
    throw error;
  });
  if (user instanceof SignInBusyError) return { status: 429, headers: { 'retry-after': '1' }, body: { error: user.message, detail: null } };
  if (!user) {
    const none = context.users.list().length === 0;
    return {
      status: 401,
      body: {
        error: none
          ? 'no console users are configured: use the sign-in link `npm start` printed, or add one with foghorn users add NAME --role ROLE'
          : 'wrong name or password',
        detail: null,
      },
    };
  }
  const earlier = sessionIdOf(headers);
  if (earlier !== undefined) context.sessions.end(earlier);
  const session = context.sessions.create({ ...user, via: 'user' });
  return {
    status: 200,
    headers: { 'set-cookie': sessionCookie(session.id, context.isSecure(headers)), 'cache-control': 'no-store' },
    body: { name: session.name, role: session.role },
  };
}

function me(context: SignInContext, headers: IncomingHttpHeaders, identity: LocalAuthOptions['identity']): LocalAnswer {
  const caller = callerOf(context, headers);
  if ('refused' in caller) return caller.refused;
  const { principal } = caller;
  if (!principal) return { status: 401, body: { error: 'not signed in', detail: { signIn: '/login' } } };
  return {
    status: 200,
    body:
      principal.kind === 'user'
        ? { name: principal.name, user: principal.name, role: principal.role, ...(identity?.(principal.name) ?? { teams: [] }) }
        : { name: 'token', user: 'token', role: 'admin', teams: [] },
  };
}

function jsonFields(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function linkHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function parsedUrl(raw: string | undefined): URL | undefined {
  try {
    return raw ? new URL(raw) : undefined;
  } catch {
    return undefined;
  }
}

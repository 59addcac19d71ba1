import type { APIGatewayEventRequestContextJWTAuthorizer, APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ConsoleIdentity } from '../../assignment/person-of-user.js';
import { accessFor } from '../../auth/api-access.js';
import { auditName } from '../../auth/principal.js';
import { hasRole, ROLES, type Role } from '../../auth/roles.js';

/**
 * The console's copy of the API on AWS: every `/api/…` route again under this prefix, behind Cognito's JWT
 * authorizer instead of IAM (an HTTP API route has one authorizer). CloudFront sends the console's `/api/*` here
 * (its origin path), so the console calls the same paths on AWS as on one machine.
 */
export const CONSOLE_API_PREFIX = '/console';

/**
 * Answered from the token and the team config, as `GET /api/me` is locally: who the console is signed in as, their role,
 * and the person and teams they are (`people:` and `teams:`).
 */
export const CONSOLE_ME_ROUTE = { method: 'GET', path: '/api/me' } as const;

/** A console user as the JWT authorizer verified them: the Cognito user name and the highest role of their groups. */
export interface ConsoleUser {
  name: string;
  role: Role;
  /** The `email` claim (an ID token carries it): a person's `user` may name them by it. */
  email?: string;
}

export interface ConsoleAccessOptions {
  /** The person and teams of a user known by these names (user name, then email); without it, no person and no teams. */
  identity?(names: readonly string[]): Promise<ConsoleIdentity>;
}

type Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
type Claims = APIGatewayEventRequestContextJWTAuthorizer['jwt']['claims'];

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const JSON_MEDIA_TYPE = 'application/json';

/**
 * The groups a token names. API Gateway hands a list claim to the function as one string, `[admin viewer]`;
 * a test or another authorizer may pass the list itself.
 */
export function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string') return [];
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

/** The highest role among the groups (viewer < agent < lead < admin); groups that are no role count for nothing. */
export function roleOfGroups(groups: readonly string[]): Role | undefined {
  return [...ROLES].reverse().find((role) => groups.includes(role));
}

/** The user behind verified claims: `cognito:username` (ID token) or `username` (access token), and the role of their groups. */
export function consoleUserOf(claims: Claims | undefined): ConsoleUser | { refused: string } {
  if (!claims) return { refused: 'the request carries no verified token' };
  const name = [claims['cognito:username'], claims.username, claims.sub].find(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  if (!name) return { refused: 'the token names no user' };
  const role = roleOfGroups(groupsOf(claims['cognito:groups']));
  if (!role) return { refused: `${name} is in none of the groups ${ROLES.join(', ')}: an admin adds them to one in the user pool` };
  const email = claims.email;
  return { name, role, ...(typeof email === 'string' && email !== '' ? { email } : {}) };
}

/**
 * The api function's console routes: the same role rules as the local runtime (functions/auth/api-access.ts) on the
 * user Cognito verified. A change needs `Content-Type: application/json` (415) and the role its route asks for (403,
 * naming it); a decision's `who` becomes `user:<cognito user name>`, whatever the body says. The request then goes on
 * as the `/api/…` route it copies. Requests to the IAM routes pass untouched.
 */
export function withConsoleAccess(handler: Handler, options: ConsoleAccessOptions = {}): Handler {
  return async (event) => {
    const [method = '', template = ''] = event.routeKey.split(' ');
    if (!template.startsWith(`${CONSOLE_API_PREFIX}/`)) return handler(event);
    const apiTemplate = template.slice(CONSOLE_API_PREFIX.length);
    const apiPath = event.rawPath.startsWith(`${CONSOLE_API_PREFIX}/`) ? event.rawPath.slice(CONSOLE_API_PREFIX.length) : event.rawPath;

    const claims = (event.requestContext as { authorizer?: Partial<APIGatewayEventRequestContextJWTAuthorizer> }).authorizer?.jwt?.claims;
    const user = consoleUserOf(claims);
    if ('refused' in user) return json(claims ? 403 : 401, { error: user.refused, detail: { signIn: '/login' } });
    if (method === CONSOLE_ME_ROUTE.method && apiTemplate === CONSOLE_ME_ROUTE.path) {
      const identity = (await options.identity?.(user.email ? [user.name, user.email] : [user.name])) ?? { teams: [] };
      return json(200, { name: user.name, user: user.name, role: user.role, ...identity });
    }

    const access = accessFor(method, apiPath);
    if (!READ_METHODS.has(method)) {
      const contentType = event.headers?.['content-type'];
      if (contentType?.split(';')[0]?.trim().toLowerCase() !== JSON_MEDIA_TYPE)
        return json(415, {
          error: `a change to Foghorn must be sent as ${JSON_MEDIA_TYPE}`,
          detail: { contentType: contentType ?? null, expected: JSON_MEDIA_TYPE },
        });
    }
    if (!hasRole(user.role, access.role))
      return json(403, {
        error: `this needs the ${access.role} role; ${user.name} is ${user.role}`,
        detail: { needed: access.role, role: user.role },
      });

    const body = access.recordsWho ? withWho(event, auditName({ kind: 'user', name: user.name, role: user.role })) : event;
    return handler({
      ...body,
      routeKey: `${method} ${apiTemplate}`,
      rawPath: apiPath,
      requestContext: {
        ...event.requestContext,
        routeKey: `${method} ${apiTemplate}`,
        http: { ...event.requestContext.http, path: apiPath },
      },
    });
  };
}

/** The body with `who` set to the signed-in user; a body that is no JSON object is left for the route to refuse. */
function withWho(event: APIGatewayProxyEventV2, who: string): APIGatewayProxyEventV2 {
  const text = event.body === undefined ? '' : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8').toString('utf8');
  let fields: unknown;
  try {
    fields = text === '' ? {} : JSON.parse(text);
  } catch {
    return event;
  }
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) return event;
  return { ...event, body: JSON.stringify({ ...fields, who }), isBase64Encoded: false };
}

function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

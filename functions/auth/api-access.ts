import { ABILITIES, type Ability, type Role } from './roles.js';

/**
 * What each change to the API asks of its caller, by method and path template: the same table for the local runtime
 * and any authorizer in front of the deployed API. "Edit and approve" is an approve with the edited text. A change not
 * listed needs an admin, so a new route is closed until someone says who may use it. Reads need a viewer.
 */
export const API_CHANGES: ReadonlyArray<{ method: string; path: string; ability: Ability; recordsWho: boolean }> = [
  { method: 'POST', path: '/api/approvals/{id}/approve', ability: 'decideApprovals', recordsWho: true },
  { method: 'POST', path: '/api/approvals/{id}/reject', ability: 'decideApprovals', recordsWho: true },
  { method: 'POST', path: '/api/dead-letters/{queue}/redrive', ability: 'redrive', recordsWho: true },
  { method: 'POST', path: '/api/crisis/on', ability: 'switchCrisis', recordsWho: true },
  { method: 'POST', path: '/api/crisis/off', ability: 'switchCrisis', recordsWho: true },
  // Scheduling and cancelling are an agent's daily work (a post still passes the outgoing guard, crisis mode and any
  // approval it asks for); releasing what a crisis suspended is a lead's call, like ending the crisis.
  { method: 'POST', path: '/api/posts', ability: 'schedulePosts', recordsWho: true },
  { method: 'DELETE', path: '/api/posts/{id}', ability: 'schedulePosts', recordsWho: true },
  { method: 'POST', path: '/api/posts/{id}/release', ability: 'releasePosts', recordsWho: true },
  { method: 'POST', path: '/api/posts/release', ability: 'releasePosts', recordsWho: true },
  // Handing a conversation to a colleague or a team is an agent's daily work; it is audited with who did it.
  { method: 'POST', path: '/api/events/{id}/assign', ability: 'assignConversations', recordsWho: true },
];

/** Routes anyone may call: signing in and out. */
export const API_SIGN_IN = [
  { method: 'POST', path: '/api/login' },
  { method: 'POST', path: '/api/logout' },
] as const;

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface Access {
  /** The lowest role that may make this request. */
  role: Role;
  ability: Ability;
  /** The body names who decides (`who`), which the audit log records: the caller's name replaces it. */
  recordsWho: boolean;
}

const compiled = API_CHANGES.map((change) => ({ ...change, pattern: templatePattern(change.path) }));

/** What a request to the API needs: a read needs a viewer, a listed change its ability's role, any other change an admin. */
export function accessFor(method: string, path: string): Access {
  if (READ_METHODS.has(method)) return { role: ABILITIES.read, ability: 'read', recordsWho: false };
  const change = compiled.find((candidate) => candidate.method === method && candidate.pattern.test(path));
  const ability: Ability = change?.ability ?? 'administer';
  return { role: ABILITIES[ability], ability, recordsWho: change?.recordsWho ?? false };
}

export function isSignInRoute(method: string, path: string): boolean {
  return API_SIGN_IN.some((route) => route.method === method && route.path === path);
}

function templatePattern(template: string): RegExp {
  const source = template
    .split('/')
    .map((segment) => (/^\{\w+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

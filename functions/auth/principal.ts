import type { Role } from './roles.js';

/** Who a request acts for: a signed-in console user, or whoever holds the API token (an admin). */
export type Principal = { kind: 'user'; name: string; role: Role } | { kind: 'token'; role: 'admin' };

/** The name the audit log records: `user:<name>`, or `token` for the API token. */
export function auditName(principal: Principal): string {
  return principal.kind === 'user' ? `user:${principal.name}` : 'token';
}

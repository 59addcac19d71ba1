/**
 * Who may do what in the console and on the API. Each role has everything the roles before it have:
 * a viewer reads everything; an agent also approves, edits and rejects held actions, redrives dead
 * letters, and schedules and cancels posts; a lead also switches crisis mode and releases the posts a crisis
 * suspended (deciding that a message still fits after the crisis, as deciding that the crisis is over); an admin may do anything, including what no role below is named for.
 */
export const ROLES = ['viewer', 'agent', 'lead', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a request asks to do; each ability names the lowest role that has it. */
export const ABILITIES = {
  read: 'viewer',
  decideApprovals: 'agent',
  redrive: 'agent',
  schedulePosts: 'agent',
  assignConversations: 'agent',
  switchCrisis: 'lead',
  releasePosts: 'lead',
  administer: 'admin',
} as const satisfies Record<string, Role>;
export type Ability = keyof typeof ABILITIES;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `role` is `needed` or above it. */
export function hasRole(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export function may(role: Role, ability: Ability): boolean {
  return hasRole(role, ABILITIES[ability]);
}

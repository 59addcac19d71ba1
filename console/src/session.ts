import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Me, Role } from './types.js';

const RANK: Record<Role, number> = { viewer: 0, agent: 1, lead: 2, admin: 3 };

/**
 * Who is signed in. `undefined` user: the runtime has no sign-in (every change is allowed, and recorded under the name
 * "console").
 */
export interface Session {
  user: Me | undefined;
  signOut(): Promise<void>;
}

export const SessionContext = createContext<Session>({ user: undefined, signOut: async () => {} });

export function useSession(): Session {
  return useContext(SessionContext);
}

/** Whether the signed-in person may do what needs `role`: agent to approve, reject and redrive, lead for the crisis switch. */
export function allowed(session: Session, role: Role): boolean {
  return session.user === undefined || RANK[session.user.role] >= RANK[role];
}

/** The name decisions are recorded under (the API records the signed-in user itself when sign-in is on). */
export function whoIs(session: Session): string {
  return session.user?.name ?? 'console';
}

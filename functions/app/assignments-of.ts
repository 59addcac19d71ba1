import type { AssignmentRouteSources } from '../assignment/assignment-api-routes.js';
import { Assignments } from '../assignment/assignments.js';
import { type AssignmentConfig, parseAssignmentConfig } from '../assignment/config.js';
import { type ConsoleIdentity, personOfUser } from '../assignment/person-of-user.js';
import { type Provided, resolveProvided } from '../core/provided.js';
import { ticketConversation } from '../crisis/conversation.js';
import type { FoghornConfig } from '../rules/config.js';
import type { Adapters } from './adapters.js';

const built = new WeakMap<object, Assignments>();
const parsed = new WeakMap<FoghornConfig, AssignmentConfig>();

/**
 * Assignment over the adapters, built once per adapter set: the assignment store, the team config's `people:` and
 * `teams:` (parsed again after a reload), and the audit log. Undefined for an adapter set without an assignment store.
 */
export function assignmentsOf(adapters: Pick<Adapters, 'assignments' | 'crisisStores' | 'clock' | 'teamConfig'>): Assignments | undefined {
  const store = adapters.assignments;
  if (!store) return undefined;
  let assignments = built.get(adapters);
  if (!assignments) {
    assignments = new Assignments({
      store,
      config: () => assignmentConfigOf(adapters.teamConfig.current()),
      audit: adapters.crisisStores.audit,
      now: () => adapters.clock.now(),
    });
    built.set(adapters, assignments);
  }
  return assignments;
}

/** The people and teams of a checked team config (cached per config object). */
export function assignmentConfigOf(config: FoghornConfig): AssignmentConfig {
  let found = parsed.get(config);
  if (!found) {
    found = parseAssignmentConfig(config);
    parsed.set(config, found);
  }
  return found;
}

/** What the API routes need: the assignments, the stored event, and the conversation key tickets use too. */
export function assignmentRouteSources(
  adapters: Pick<Adapters, 'assignments' | 'crisisStores' | 'clock' | 'teamConfig' | 'events'>,
): AssignmentRouteSources | undefined {
  const assignments = assignmentsOf(adapters);
  if (!assignments) return undefined;
  return {
    assignments,
    event: async (id) => (await adapters.events.get(id))?.event,
    conversationOf: ticketConversation,
    timers: adapters.crisisStores.timers,
    now: () => adapters.clock.now(),
  };
}

/**
 * The person and teams of a console user by the team config's `people:` and `teams:` (`GET /api/me` on AWS, where the
 * console access answers it before the api routes). A team config that does not read leaves them unknown, logged: the
 * console still opens.
 */
export function consoleIdentityOf(
  adapters: Provided<Pick<Adapters, 'teamConfig' | 'logger'>>,
): (names: readonly string[]) => Promise<ConsoleIdentity> {
  return async (names) => {
    const resolved = await resolveProvided(adapters);
    try {
      await resolved.teamConfig.load();
      return personOfUser(assignmentConfigOf(resolved.teamConfig.current()), names);
    } catch (error) {
      resolved.logger.error('GET /api/me: the team config did not read; the user is shown without a person or teams', { error });
      return { teams: [] };
    }
  };
}

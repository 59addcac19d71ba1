import type { AssignmentConfig } from './config.js';

/** Who a console user is among `people:`, and the teams they are in: what `GET /api/me` adds to the user and role. */
export interface ConsoleIdentity {
  person?: string;
  teams: string[];
}

/**
 * The person whose `user` is one of `names` (the console user name first, then any other name the sign-in knows them
 * by, such as a Cognito user's email), or, for a person without `user`, whose key is one of them; and their teams.
 */
export function personOfUser(config: AssignmentConfig, names: readonly (string | undefined)[]): ConsoleIdentity {
  const people = [...config.people.values()];
  for (const name of names) {
    if (!name) continue;
    const person = people.find((candidate) => candidate.user === name || (!candidate.user && candidate.id === name));
    if (person)
      return {
        person: person.id,
        teams: [...config.teams.values()].filter((team) => team.members.includes(person.id)).map((team) => team.id),
      };
  }
  return { teams: [] };
}

import type { Owner, Team } from './types.js';

/**
 * People's and teams' names as communications staff know them, from `GET /api/teams` (the one place the console
 * turns an id into a name). Anyone the answer does not list (not in any team, removed from the config, the answer not
 * in yet or refused) reads as their id, so a page never waits for names or breaks without them. A team reads as its
 * `name:` in the config, or its id.
 */
export interface Names {
  /** `Sara Ahmadi` for `sara`; the id itself for a person `/api/teams` does not list. */
  person(id: string): string;
  team(id: string): string;
  /** Who did something as the API records it: `user:<name>` as the person that console user is, `rule:<id>` as the rule. */
  who(by: string): string;
  /** Everyone the teams list, once each, in the order listed. */
  people: ReadonlyArray<{ id: string; name: string }>;
}

export function namesOf(teams: readonly Team[] | undefined): Names {
  const people = new Map<string, string>();
  const users = new Map<string, string>();
  const teamNames = new Map<string, string>();
  for (const team of teams ?? []) {
    if (team.name) teamNames.set(team.id, team.name);
    for (const member of team.members) {
      if (!people.has(member.id)) people.set(member.id, member.name);
      // As the API links a console user to a person: by `user`, or by the id of a person without one.
      const user = member.user ?? member.id;
      if (!users.has(user)) users.set(user, member.name);
    }
  }
  const person = (id: string) => people.get(id) ?? id;
  return {
    person,
    team: (id) => teamNames.get(id) ?? id,
    who: (by) => {
      if (by.startsWith('user:')) {
        const user = by.slice('user:'.length);
        return users.get(user) ?? user;
      }
      if (by.startsWith('rule:')) return `rule ${by.slice('rule:'.length)}`;
      return by;
    },
    people: [...people].map(([id, name]) => ({ id, name })),
  };
}

export type OwnerIds = Pick<Owner, 'person' | 'team'>;

/** The owner's parts by name: the person and the team they answer for; undefined when nobody owns it. */
export function ownerNames(owner: OwnerIds | null | undefined, names: Names): { person?: string; team?: string } | undefined {
  if (!owner || (!owner.person && !owner.team)) return undefined;
  return {
    ...(owner.person ? { person: names.person(owner.person) } : {}),
    ...(owner.team ? { team: names.team(owner.team) } : {}),
  };
}

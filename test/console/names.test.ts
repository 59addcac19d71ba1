import { describe, expect, it } from 'vitest';
import { namesOf, ownerNames } from '../../console/src/names.js';
import type { Team } from '../../console/src/types.js';

/** Two teams as `GET /api/teams` lists them: Sara is in both, Reza's name is Persian, Olga has no console user. */
const TEAMS: Team[] = [
  {
    id: 'persian-desk',
    name: 'میز فارسی',
    strategy: 'round-robin',
    lead: 'sara',
    members: [
      { id: 'sara', name: 'Sara Ahmadi', user: 'sahmadi', open: 2, inHours: true },
      { id: 'reza', name: 'رضا رحیمی', user: 'reza', open: 0, inHours: false },
    ],
  },
  {
    id: 'press',
    strategy: 'least-open',
    members: [
      { id: 'olga', name: 'Olga', open: 1, inHours: true },
      { id: 'sara', name: 'Sara Ahmadi', user: 'sahmadi', open: 2, inHours: true },
    ],
  },
];

describe('namesOf: people and teams by the names /api/teams gives them', () => {
  it('names each person listed, and lists everyone once in the order the teams give them', () => {
    const names = namesOf(TEAMS);
    expect(names.person('sara')).toBe('Sara Ahmadi');
    expect(names.person('reza')).toBe('رضا رحیمی');
    expect(names.people).toEqual([
      { id: 'sara', name: 'Sara Ahmadi' },
      { id: 'reza', name: 'رضا رحیمی' },
      { id: 'olga', name: 'Olga' },
    ]);
  });

  it('falls back to the id for a person the teams do not list, and to ids for everyone before the answer is in', () => {
    expect(namesOf(TEAMS).person('nima')).toBe('nima');
    const loading = namesOf(undefined);
    expect(loading.person('sara')).toBe('sara');
    expect(loading.who('user:sahmadi')).toBe('sahmadi');
    expect(loading.people).toEqual([]);
    expect(ownerNames({ person: 'sara', team: 'persian-desk' }, loading)).toEqual({ person: 'sara', team: 'persian-desk' });
  });

  it('reads a console user as the person linked to them: by user:, or by the id of a person without one', () => {
    const names = namesOf(TEAMS);
    expect(names.who('user:sahmadi')).toBe('Sara Ahmadi');
    expect(names.who('user:olga')).toBe('Olga');
    // sara is the person's id, not her console user: someone else may sign in as "sara".
    expect(names.who('user:sara')).toBe('sara');
    expect(names.who('user:admin')).toBe('admin');
    expect(names.who('rule:persian-desk')).toBe('rule persian-desk');
    expect(names.who('console')).toBe('console');
  });

  it('gives an owner by name: the person and their team, either alone, or nothing for nobody', () => {
    const names = namesOf(TEAMS);
    expect(ownerNames({ person: 'reza', team: 'persian-desk' }, names)).toEqual({ person: 'رضا رحیمی', team: 'میز فارسی' });
    // A team the config gives no name reads as its id.
    expect(names.team('press')).toBe('press');
    expect(ownerNames({ person: 'olga' }, names)).toEqual({ person: 'Olga' });
    expect(ownerNames({ team: 'press' }, names)).toEqual({ team: 'press' });
    expect(ownerNames({}, names)).toBeUndefined();
    expect(ownerNames(null, names)).toBeUndefined();
    expect(ownerNames(undefined, names)).toBeUndefined();
  });
});

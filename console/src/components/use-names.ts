import { useMemo } from 'preact/hooks';
import { type Names, namesOf } from '../names.js';
import type { Team } from '../types.js';
import { useApi } from './use-api.js';

/** People's and teams' names (`GET /api/teams`), ids until the answer is in; `teams` as listed, for choosing one. */
export function useNames(): { names: Names; teams: Team[] | undefined } {
  const { data } = useApi<{ teams: Team[] }>('/api/teams');
  const teams = data?.teams;
  const names = useMemo(() => namesOf(teams), [teams]);
  return { names, teams };
}

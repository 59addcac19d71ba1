import type { AssignmentConfig } from './config.js';

/**
 * Where an unanswered conversation escalates: `lead` is the notify target of the lead of the owner's team (for a
 * person named directly, of the first team that lists them); anything else is a target name.
 */
export function escalationTargetOf(
  escalate: string,
  owner: { team?: string; person?: string },
  config: AssignmentConfig,
): { target: string; lead?: string } | { problem: string } {
  if (escalate !== 'lead') return { target: escalate };
  const team = owner.team
    ? config.teams.get(owner.team)
    : [...config.teams.values()].find((candidate) => owner.person !== undefined && candidate.members.includes(owner.person));
  if (!team) return { problem: `escalate: lead needs a team: ${owner.person ?? owner.team} is in no team under teams:` };
  if (!team.lead) return { problem: `escalate: lead needs teams.${team.id}.lead` };
  const target = config.people.get(team.lead)?.notify;
  if (!target) return { problem: `escalate: lead needs people.${team.lead}.notify (the target that reaches ${team.lead})` };
  return { target, lead: team.lead };
}

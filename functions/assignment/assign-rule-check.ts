import type { LocatedProblem } from '../rules/compile.js';
import { suggestion } from '../rules/conditions.js';
import type { FoghornConfig } from '../rules/config.js';
import type { RuleSpec } from '../rules/schema.js';
import { type AssignmentConfig, parseAssignmentConfig } from './config.js';
import { escalationTargetOf } from './escalation-target.js';

const parsed = new WeakMap<FoghornConfig, AssignmentConfig>();

function assignmentOf(config: FoghornConfig): AssignmentConfig | undefined {
  let found = parsed.get(config);
  if (!found) {
    try {
      found = parseAssignmentConfig(config);
    } catch {
      // The config's own check reports it, with its lines.
      return undefined;
    }
    parsed.set(config, found);
  }
  return found;
}

/** Each `assign` action names a declared team or person, and its `unanswered.escalate` something that can be reached. */
export function checkAssignActions(rule: RuleSpec, config: FoghornConfig): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  const lists = [
    ['then', rule.then],
    ['onQuiet', rule.onQuiet ?? []],
  ] as const;
  for (const [list, actions] of lists) {
    actions.forEach((action, index) => {
      if (!('assign' in action)) return;
      const assignment = assignmentOf(config);
      if (!assignment) return;
      const path = [list, index, 'assign'];
      const { team, person, unanswered } = action.assign;
      if (team !== undefined && !assignment.teams.has(team))
        problems.push({ path: [...path, 'team'], message: unknown('team', team, [...assignment.teams.keys()], 'teams') });
      if (person !== undefined && !assignment.people.has(person))
        problems.push({ path: [...path, 'person'], message: unknown('person', person, [...assignment.people.keys()], 'people') });
      if (unanswered && problems.length === 0) {
        const target = escalationTargetOf(unanswered.escalate, { ...(team ? { team } : {}), ...(person ? { person } : {}) }, assignment);
        if ('problem' in target) problems.push({ path: [...path, 'unanswered', 'escalate'], message: target.problem });
        else if (!(target.target in config.targets))
          problems.push({
            path: [...path, 'unanswered', 'escalate'],
            message: `unknown target '${target.target}'${suggestion(target.target, Object.keys(config.targets))} (declare it under targets:)`,
          });
      }
    });
  }
  return problems;
}

function unknown(what: string, name: string, known: readonly string[], section: string): string {
  return `unknown ${what} '${name}'${suggestion(name, known)}${known.length === 0 ? ` (foghorn.config.yaml declares no ${section}:)` : ` (declared under ${section}: ${known.join(', ')})`}`;
}

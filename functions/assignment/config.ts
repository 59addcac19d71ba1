import { z } from 'zod';
import { lineLocator } from '../auth/console-config.js';
import { suggestion } from '../rules/conditions.js';
import { businessHoursSchema, type FoghornConfig, isTimeZone } from '../rules/config.js';
import { localTimeCalculator } from '../rules/time.js';
import { AssignmentConfigError } from './errors.js';

/**
 * The `people:` and `teams:` sections of foghorn.config.yaml: who answers, when, and how a team shares its
 * conversations. A person's `hours` have the shape and meaning of `businessHours` (a day not listed is closed,
 * 20:00-02:00 crosses midnight) and are read by the same calculator (rules/time.ts); no `hours` is always available.
 */

export const STRATEGIES = ['round-robin', 'least-open'] as const;
export type Strategy = (typeof STRATEGIES)[number];

const hoursSchema = businessHoursSchema
  .and(
    z.object({
      timezone: z
        .string()
        .refine(isTimeZone, { message: 'an IANA time zone such as Europe/London or Asia/Tehran' })
        .optional()
        .describe("The person's IANA time zone (default: the config's timezone)"),
    }),
  )
  .describe('Working hours per day (mon … sun), as businessHours: a range or a list; a day not listed is off');

export const personSchema = z
  .object({
    name: z.string().min(1).optional().describe('The name people know them by (messages, the console)'),
    user: z.string().min(1).optional().describe('The console user (console.users) who is this person'),
    hours: hoursSchema.optional(),
    notify: z.string().min(1).optional().describe('A target under `targets:` that reaches this person (an escalation to them)'),
  })
  .strict();

export const teamSchema = z
  .object({
    name: z.string().min(1).optional().describe('How the console names the team ("Persian desk"); default: its key'),
    members: z.array(z.string().min(1)).min(1).describe('People (keys of `people:`) who answer for the team'),
    lead: z.string().min(1).optional().describe('The person an unanswered conversation escalates to'),
    strategy: z
      .enum(STRATEGIES)
      .default('round-robin')
      .describe('round-robin: each member in turn; least-open: the member with the fewest open conversations'),
  })
  .strict();

export const peopleSectionSchema = z.record(z.string(), personSchema).describe('Who answers conversations (docs/routing.md#assignment)');
export const teamsSectionSchema = z.record(z.string(), teamSchema).describe('Teams that share conversations (docs/routing.md#assignment)');

export interface Person {
  id: string;
  name: string;
  user?: string;
  notify?: string;
  /** Whether they work at an instant (their hours in their zone, the team's holidays). */
  inHours(at: Date): boolean;
}

export interface Team {
  id: string;
  /** How people name it: `name:`, else its key. */
  name: string;
  members: string[];
  lead?: string;
  strategy: Strategy;
}

export interface AssignmentConfig {
  people: ReadonlyMap<string, Person>;
  teams: ReadonlyMap<string, Team>;
}

type Problem = { path: Array<string | number>; message: string };

/**
 * Reads and checks both sections against the rest of the config (`notify` names a target, a member or lead is a
 * person); throws one AssignmentConfigError listing every problem with its file and line.
 */
export function parseAssignmentConfig(config: Pick<FoghornConfig, 'timezone' | 'holidays' | 'targets'>, source?: string): AssignmentConfig {
  const raw = config as unknown as Record<string, unknown>;
  const problems: Problem[] = [];
  const people = new Map<string, Person>();
  const teams = new Map<string, Team>();
  const peopleRaw = sectionOf(raw.people, 'people', problems);
  const teamsRaw = sectionOf(raw.teams, 'teams', problems);
  for (const [id, value] of Object.entries(peopleRaw)) {
    const parsed = personSchema.safeParse(value ?? {});
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(problemOf(['people', id], issue));
      continue;
    }
    const { hours, notify, user, name } = parsed.data;
    if (notify !== undefined && !(notify in config.targets))
      problems.push({
        path: ['people', id, 'notify'],
        message: `unknown target '${notify}'${suggestion(notify, Object.keys(config.targets))}${declared('targets', Object.keys(config.targets))}`,
      });
    people.set(id, {
      id,
      name: name ?? id,
      ...(user ? { user } : {}),
      ...(notify ? { notify } : {}),
      inHours: hoursChecker(hours, config),
    });
  }
  const known = Object.keys(peopleRaw);
  for (const [id, value] of Object.entries(teamsRaw)) {
    const parsed = teamSchema.safeParse(value ?? {});
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(problemOf(['teams', id], issue));
      continue;
    }
    const team = parsed.data;
    team.members.forEach((member, index) => {
      if (!(member in peopleRaw)) problems.push({ path: ['teams', id, 'members', index], message: unknownPerson(member, known) });
    });
    if (new Set(team.members).size !== team.members.length)
      problems.push({ path: ['teams', id, 'members'], message: 'lists a person twice' });
    if (team.lead !== undefined && !(team.lead in peopleRaw))
      problems.push({ path: ['teams', id, 'lead'], message: unknownPerson(team.lead, known) });
    teams.set(id, { id, name: team.name ?? id, members: team.members, strategy: team.strategy, ...(team.lead ? { lead: team.lead } : {}) });
  }
  if (problems.length > 0) throw configError(problems, source);
  return { people, teams };
}

/** The section checker the rule language runs at load (rule-language.ts): both sections, with the rest of the config. */
export function checkAssignmentSections(source: string, config: FoghornConfig): void {
  parseAssignmentConfig(config, source);
}

function sectionOf(value: unknown, name: string, problems: Problem[]): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  problems.push({ path: [name], message: `${name}: must be a map of names to entries` });
  return {};
}

function problemOf(base: Array<string | number>, issue: z.core.$ZodIssue): Problem {
  const path = [...base, ...(issue.path as Array<string | number>)];
  if (issue.code === 'unrecognized_keys') {
    const allowed = base[0] === 'people' ? Object.keys(personSchema.shape) : Object.keys(teamSchema.shape);
    return { path, message: issue.keys.map((key) => `unknown key '${key}'${suggestion(key, allowed)}`).join('; ') };
  }
  return { path, message: issue.message };
}

function unknownPerson(name: string, known: readonly string[]): string {
  return `unknown person '${name}'${suggestion(name, known)}${declared('people', known)}`;
}

function declared(section: string, names: readonly string[]): string {
  return names.length === 0 ? ` (foghorn.config.yaml declares no ${section}:)` : ` (declared under ${section}: ${names.join(', ')})`;
}

function hoursChecker(hours: z.infer<typeof hoursSchema> | undefined, config: Pick<FoghornConfig, 'timezone' | 'holidays'>) {
  if (hours === undefined) return () => true;
  const { timezone, ...days } = hours;
  const local = localTimeCalculator({ timezone: timezone ?? config.timezone, businessHours: days, holidays: config.holidays });
  return (at: Date) => local(at).businessHours;
}

function configError(problems: readonly Problem[], source: string | undefined): AssignmentConfigError {
  const file = source ?? 'foghorn.config.yaml';
  const lineOf = source ? lineLocator(source) : () => 0;
  const lines = problems.map(({ path, message }) => {
    const line = lineOf(path);
    return `  ${file}${line > 0 ? `:${line}` : ''}: ${path.join('.')}: ${message}`;
  });
  return new AssignmentConfigError(`${file}: invalid people or teams:\n${lines.join('\n')}`, problems);
}

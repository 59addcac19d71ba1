import type { CanonicalEvent } from '../core/event.js';
import type { AuditLog } from '../crisis/ports.js';
import type { AssignmentConfig, Person, Team } from './config.js';
import { AssignmentInputError } from './errors.js';
import { type ConsoleIdentity, personOfUser } from './person-of-user.js';
import type { AssignmentStore, ConversationOwner } from './ports.js';

/** Who a conversation goes to: a team (a member in hours is picked) or a person. */
export type AssignTo = { team: string; person?: undefined } | { person: string; team?: undefined };

export interface AssignRequest {
  conversation: string;
  event: Pick<CanonicalEvent, 'id' | 'createdAt'>;
  to: AssignTo;
  /** `rule:<id>` or `user:<name>`. */
  by: string;
  /** The command id or request id: a retry of the same change changes nothing. */
  change: string;
  /** A person's note (a reassignment), kept in the audit. */
  note?: string;
}

export interface AssignOutcome {
  owner: ConversationOwner;
  /** The owner before this change (absent: none). */
  previous?: ConversationOwner;
  /** `assigned`: this change made it; `repeated`: an earlier try of this change did; `kept`: a rule found an owner already. */
  result: 'assigned' | 'repeated' | 'kept';
}

/** The owner as the API shows it. */
export interface OwnerView {
  person?: string;
  team?: string;
  since: string;
  by: string;
  open: boolean;
  why: string;
}

export function ownerView(owner: ConversationOwner): OwnerView {
  return {
    ...(owner.person ? { person: owner.person } : {}),
    ...(owner.team ? { team: owner.team } : {}),
    since: owner.since,
    by: owner.by,
    open: owner.open,
    why: owner.why,
  };
}

const CONFLICT_RETRIES = 5;

/**
 * Gives conversations an owner. A rule's assignment never takes a conversation from its owner (it opens it again
 * for them); a person's reassignment does. Within a team: round robin (a stored turn per team, taken once per change)
 * or least open conversations, skipping members outside their hours at the message's time; when nobody is in hours
 * the team owns it, and the audit says so. Every change is audited: who, from, to, why.
 */
export class Assignments {
  constructor(
    private readonly options: {
      store: AssignmentStore;
      config: () => AssignmentConfig;
      audit: AuditLog;
      now: () => Date;
    },
  ) {}

  config(): AssignmentConfig {
    return this.options.config();
  }

  async assign(request: AssignRequest): Promise<AssignOutcome> {
    const { store } = this.options;
    this.check(request.to);
    for (let attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
      const current = await store.owner(request.conversation);
      if (current?.change === request.change) return { owner: current, result: 'repeated' };
      const byRule = request.by.startsWith('rule:');
      const chosen =
        byRule && current
          ? {
              person: current.person,
              team: current.team,
              why: `already ${describe(current)}'s: ${current.open ? 'still open' : 'open again'}`,
            }
          : await this.choose(request);
      const owner: ConversationOwner = {
        conversation: request.conversation,
        ...(chosen.person ? { person: chosen.person } : {}),
        ...(chosen.team ? { team: chosen.team } : {}),
        since: byRule && current ? current.since : this.options.now().toISOString(),
        by: byRule && current ? current.by : request.by,
        why: chosen.why,
        open: true,
        change: request.change,
        eventId: request.event.id,
      };
      const result = await store.assign(owner, current?.change);
      if (result === 'conflict') continue;
      const stored = result === 'repeated' ? ((await store.owner(request.conversation)) ?? owner) : owner;
      const outcome: AssignOutcome = {
        owner: stored,
        ...(current ? { previous: current } : {}),
        result: result === 'repeated' ? 'repeated' : byRule && current ? 'kept' : 'assigned',
      };
      await this.audit(request, outcome);
      return outcome;
    }
    throw new Error(`assignment of conversation ${request.conversation} kept changing under ${request.change}; try again`);
  }

  async ownerOf(conversation: string): Promise<ConversationOwner | undefined> {
    return this.options.store.owner(conversation);
  }

  /** Closes the conversation's assignment: the brand answered, or it was resolved. */
  close(conversation: string): Promise<boolean> {
    return this.options.store.close(conversation, this.options.now());
  }

  /** `GET /api/teams`: each team with its members, their open conversations and whether they are in hours now. */
  async teams() {
    const config = this.config();
    const now = this.options.now();
    const everyone = [...new Set([...config.teams.values()].flatMap((team) => team.members))];
    const counts = await this.options.store.openCounts(everyone);
    return [...config.teams.values()].map((team) => ({
      id: team.id,
      name: team.name,
      strategy: team.strategy,
      ...(team.lead ? { lead: team.lead } : {}),
      members: team.members.map((id) => {
        const person = config.people.get(id);
        return {
          id,
          name: person?.name ?? id,
          ...(person?.user ? { user: person.user } : {}),
          open: counts.get(id) ?? 0,
          inHours: person ? person.inHours(now) : false,
        };
      }),
    }));
  }

  /** The person a console user is, and the teams they are in (`GET /api/me`). */
  personOf(user: string): ConsoleIdentity {
    return personOfUser(this.config(), [user]);
  }

  private check(to: AssignTo): void {
    const config = this.config();
    if (to.team !== undefined && !config.teams.has(to.team))
      throw new AssignmentInputError(`unknown team '${to.team}' (declared under teams: ${[...config.teams.keys()].join(', ') || 'none'})`, {
        field: 'team',
      });
    if (to.person !== undefined && !config.people.has(to.person))
      throw new AssignmentInputError(
        `unknown person '${to.person}' (declared under people: ${[...config.people.keys()].join(', ') || 'none'})`,
        { field: 'person' },
      );
  }

  private async choose(request: AssignRequest): Promise<{ person?: string; team?: string; why: string }> {
    const config = this.config();
    if (request.to.person !== undefined) return { person: request.to.person, why: `assigned to ${request.to.person}` };
    const team = config.teams.get(request.to.team) as Team;
    const at = timeOf(request.event.createdAt, this.options.now());
    const inHours = team.members.filter((id) => config.people.get(id)?.inHours(at) ?? false);
    if (inHours.length === 0)
      return { team: team.id, why: `nobody in ${team.id} is in hours at ${at.toISOString()}: the team has it, no person` };
    if (team.strategy === 'least-open') {
      const counts = await this.options.store.openCounts(inHours);
      const person = inHours.reduce((best, id) => ((counts.get(id) ?? 0) < (counts.get(best) ?? 0) ? id : best));
      return { person, team: team.id, why: `least open in ${team.id} (${counts.get(person) ?? 0} open)${skipped(team, inHours)}` };
    }
    const turn = await this.options.store.takeTurn(team.id, request.change);
    const members = team.members.length;
    for (let step = 0; step < members; step++) {
      const candidate = team.members[(turn + step) % members] as string;
      if (inHours.includes(candidate))
        return { person: candidate, team: team.id, why: `round robin in ${team.id} (turn ${turn})${skipped(team, inHours)}` };
    }
    return { team: team.id, why: `nobody in ${team.id} is in hours` };
  }

  private async audit(request: AssignRequest, outcome: AssignOutcome): Promise<void> {
    if (outcome.result === 'repeated') return;
    const { owner, previous } = outcome;
    await this.options.audit.record({
      id: `assignment:${request.change}`,
      at: this.options.now().toISOString(),
      kind: 'assignment',
      what: outcome.result === 'kept' ? 'assignment.kept' : previous ? 'assignment.reassigned' : 'assignment.assigned',
      who: request.by,
      why: request.note ? `${owner.why}; ${request.note}` : owner.why,
      eventId: request.event.id,
      ...(request.by.startsWith('rule:') ? { ruleId: request.by.slice('rule:'.length) } : {}),
      detail: {
        conversation: request.conversation,
        from: previous ? ownerView(previous) : null,
        to: ownerView(owner),
      },
    });
  }
}

/** `sara (persian-desk)`, `persian-desk`. */
export function describe(owner: Pick<ConversationOwner, 'person' | 'team'>, people?: ReadonlyMap<string, Person>): string {
  const person = owner.person ? (people?.get(owner.person)?.name ?? owner.person) : undefined;
  if (person && owner.team) return `${person} (${owner.team})`;
  return person ?? owner.team ?? 'nobody';
}

function skipped(team: Team, inHours: readonly string[]): string {
  const off = team.members.filter((id) => !inHours.includes(id));
  return off.length === 0 ? '' : `; outside their hours: ${off.join(', ')}`;
}

function timeOf(iso: string, now: Date): Date {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? now : new Date(at);
}

import { createHash, randomUUID } from 'node:crypto';
import { FoghornError } from '../core/errors.js';
import type { CanonicalEvent } from '../core/event.js';
import { type ApiRoute, answer, jsonBody, text, who } from '../crisis/crisis-api-routes.js';
import type { TimerStore } from '../crisis/ports.js';
import { type Assignments, type AssignTo, ownerView } from './assignments.js';
import { AssignmentInputError } from './errors.js';
import { restartUnansweredTimers } from './unanswered-timer.js';

/** What the assignment routes need besides the assignments: the stored event, its conversation key, and its timers. */
export interface AssignmentRouteSources {
  assignments: Assignments;
  event(id: string): Promise<CanonicalEvent | undefined>;
  conversationOf(event: CanonicalEvent): string;
  /** The response timers: a reassignment restarts the conversation's unanswered timers for the new owner. */
  timers: Pick<TimerStore, 'pendingInConversation' | 'put' | 'settle'>;
  now(): Date;
}

/**
 * `GET /api/teams` (members, open conversations, in hours now) and `POST /api/events/{id}/assign` with
 * `{ "person": … }` or `{ "team": … }` and `who` (the signed-in user), optionally `note` and `requestId` (a retried
 * request with the same id changes nothing). A reassignment restarts the conversation's unanswered timers for the new
 * owner, from now (listed in the answer's `timers`). Without assignment sources both answer 404, naming why.
 */
export function assignmentApiRoutes(sources: AssignmentRouteSources | undefined): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/teams',
      handle: async () => answer(async () => ({ teams: await served(sources).assignments.teams() })),
    },
    {
      method: 'POST',
      path: '/api/events/{id}/assign',
      handle: async (request) =>
        answer(async () => {
          const { assignments, event, conversationOf, timers, now } = served(sources);
          const fields = jsonBody(request.body);
          const by = who(request, fields, 'the person reassigning');
          const to = targetOf(fields);
          const id = request.params.id ?? '';
          const stored = await event(id);
          if (!stored) throw new FoghornError(`no event '${id}'`, { status: 404, detail: null });
          const note = text(fields, 'note');
          const requestId = text(fields, 'requestId');
          const conversation = conversationOf(stored);
          const change = changeId(stored.id, by, to, requestId);
          const outcome = await assignments.assign({
            conversation,
            event: stored,
            to,
            by: by.startsWith('user:') || by === 'token' ? by : `user:${by}`,
            change,
            ...(note ? { note } : {}),
          });
          // A retried request (`repeated`) restarts them too: the first try may have stopped before it did.
          const restarted =
            outcome.result === 'kept'
              ? []
              : await restartUnansweredTimers(timers, { conversation, owner: outcome.owner, change, config: assignments.config() }, now());
          return {
            owner: ownerView(outcome.owner),
            previous: outcome.previous ? ownerView(outcome.previous) : null,
            result: outcome.result,
            timers: restarted.map(({ timer, problem }) => ({
              id: timer.id,
              eventId: timer.eventId,
              dueAt: timer.dueAt,
              target: timer.actions[0]?.params.target,
              ...(problem ? { problem } : {}),
            })),
          };
        }),
    },
  ];
}

function targetOf(fields: Record<string, unknown>): AssignTo {
  const person = text(fields, 'person');
  const team = text(fields, 'team');
  if ((person === undefined) === (team === undefined))
    throw new AssignmentInputError('give exactly one of "person" (a key of people:) or "team" (a key of teams:)', {
      field: person === undefined ? 'person' : 'team',
    });
  return person !== undefined ? { person } : { team: team as string };
}

/** A person's change: the same request id (or, without one, a new one each time) makes the same change. */
function changeId(eventId: string, by: string, to: AssignTo, requestId: string | undefined): string {
  const key = requestId ?? randomUUID();
  return `asg_${createHash('sha256')
    .update(JSON.stringify([eventId, by, to, key]))
    .digest('base64url')
    .slice(0, 32)}`;
}

function served(sources: AssignmentRouteSources | undefined): AssignmentRouteSources {
  if (!sources) throw new FoghornError('this runtime has no assignment store', { status: 404, detail: null });
  return sources;
}

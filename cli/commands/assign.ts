import { type Command, UsageError } from '../io.js';
import { apiCredentialFor, callRuntime, RuntimeApiError, runtimeUrl } from './runtime-api.js';

const USAGE = 'foghorn assign EVENT_ID --person NAME | --team NAME [--note TEXT] [--who NAME] [--json] [--url URL]';

interface Owner {
  person?: string;
  team?: string;
  by: string;
  why: string;
}

function describe(owner: Owner | null): string {
  if (!owner) return 'nobody';
  return owner.person && owner.team ? `${owner.person} (${owner.team})` : (owner.person ?? owner.team ?? 'nobody');
}

/** Gives an event's conversation to a person or a team of the running Foghorn (POST /api/events/{id}/assign), audited. */
export const assignCommand: Command = {
  summary: "give an event's conversation to a person or a team",
  usage: USAGE,
  async run(input, io) {
    const [eventId, ...rest] = input.positionals;
    if (!eventId) throw new UsageError('assign needs the event id (see: foghorn events list)');
    if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
    const person = input.string('person');
    const team = input.string('team');
    if ((person === undefined) === (team === undefined)) throw new UsageError('give exactly one of --person NAME or --team NAME');
    const note = input.string('note');
    const who = input.string('who') ?? io.env.FOGHORN_WHO;
    const base = runtimeUrl(input.string('url'), io);
    const answer = await callRuntime<{ owner: Owner; previous: Owner | null; result: string }>(
      base,
      'POST',
      `/api/events/${encodeURIComponent(eventId)}/assign`,
      { ...(who ? { who } : {}), ...(person ? { person } : { team }), ...(note ? { note } : {}) },
      apiCredentialFor(base, io),
    ).catch((error: unknown) => {
      // An id copied wrong is the usual cause: say where the right ones are.
      if (error instanceof RuntimeApiError && error.status === 404 && error.message.includes('no event'))
        throw new RuntimeApiError(`${error.message} (the ids are in: foghorn events list)`, error.status);
      throw error;
    });
    if (input.flag('json')) io.out(JSON.stringify(answer));
    else io.out(`${eventId}: ${describe(answer.previous)} → ${describe(answer.owner)}  (${answer.owner.why})`);
    return 0;
  },
};

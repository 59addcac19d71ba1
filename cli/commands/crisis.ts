import { type Command, UsageError } from '../io.js';
import { apiCredentialFor, callRuntime, runtimeUrl } from './runtime-api.js';

const USAGE = 'foghorn crisis status | on --who NAME --why TEXT | off --who NAME --why TEXT  [--url URL] [--json]';

/** Crisis mode on the running Foghorn: see it, switch it on or off (who and why are recorded). */
export const crisisCommand: Command = {
  summary: 'show or switch crisis mode (who and why are audited)',
  usage: USAGE,
  async run(input, io) {
    const values = { who: input.string('who'), why: input.string('why'), url: input.string('url'), json: input.flag('json') };
    const [verb = 'status', ...rest] = input.positionals;
    if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
    const base = runtimeUrl(values.url, io);
    const credential = apiCredentialFor(base, io);
    if (verb === 'status') {
      const { crisis } = await callRuntime<{ crisis: { on: boolean; since?: string; by?: string; why?: string } }>(
        base,
        'GET',
        '/api/crisis',
        undefined,
        credential,
      );
      if (values.json) {
        io.out(JSON.stringify(crisis));
        return 0;
      }
      io.out(
        crisis.on
          ? `crisis mode is ON since ${crisis.since} (by ${crisis.by}: ${crisis.why})`
          : `crisis mode is off${crisis.since ? ` since ${crisis.since} (by ${crisis.by}: ${crisis.why})` : ''}`,
      );
      return 0;
    }
    if (verb !== 'on' && verb !== 'off') throw new UsageError(`unknown crisis command '${verb}' (status, on, off)`);
    if (!values.who || !values.why) throw new UsageError(`crisis ${verb} needs --who and --why (they go into the audit log)`);
    const result = await callRuntime<{ changed: boolean; crisis: { on: boolean; since?: string } }>(
      base,
      'POST',
      `/api/crisis/${verb}`,
      {
        who: values.who,
        why: values.why,
      },
      credential,
    );
    if (values.json) {
      io.out(JSON.stringify(result));
      return 0;
    }
    io.out(
      result.changed
        ? `crisis mode is now ${result.crisis.on ? 'ON' : 'off'} (${result.crisis.since})`
        : `crisis mode was already ${result.crisis.on ? 'ON' : 'off'}; nothing changed`,
    );
    return 0;
  },
};

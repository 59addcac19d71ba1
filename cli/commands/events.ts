import { readArchive } from '../event-archive.js';
import { type Command, UsageError } from '../io.js';
import { timeOption } from './options.js';

const USAGE = 'foghorn events export [--since TIME|DURATION] [--until TIME|DURATION] [--platform NAME] [--url URL | --data DIR]';

/**
 * `foghorn events export`: the stored events of a running Foghorn (its API) or of a data folder (its embedded store,
 * while no runtime holds it), one canonical event a line, oldest first: what `evaluate --events` and
 * `backtest --events` read back.
 */
export const eventsCommand: Command = {
  summary: 'export stored events as JSON lines',
  usage: USAGE,
  async run(input, io) {
    const values = { url: input.string('url'), data: input.string('data'), platform: input.string('platform') };
    const [verb, ...rest] = input.positionals;
    if (verb !== 'export')
      throw new UsageError(verb === undefined ? 'say what to do: export' : `unknown events command '${verb}' (export)`);
    if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
    if (values.url !== undefined && values.data !== undefined) throw new UsageError('give --url or --data, not both');
    const now = new Date();
    const since = timeOption('since', input.string('since'), now);
    const until = timeOption('until', input.string('until'), now);
    if (since !== undefined && until !== undefined && since >= until)
      throw new UsageError(`--until (${until}) must be later than --since (${since})`);
    const { events, from } = await readArchive(
      { ...(values.data !== undefined ? { data: values.data } : {}), ...(values.url !== undefined ? { url: values.url } : {}) },
      { ...(since ? { since } : {}), ...(until ? { until } : {}), ...(values.platform ? { platform: values.platform } : {}) },
      io,
    );
    for (const event of events) io.out(JSON.stringify(event));
    io.err(`exported ${events.length} event${events.length === 1 ? '' : 's'} from ${from}`);
    return 0;
  },
};

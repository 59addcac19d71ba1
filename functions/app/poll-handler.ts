import type { Poller } from '../core/connector.js';
import { FoghornError } from '../core/errors.js';
import { type PollDependencies, type PollReport, pollOnce } from '../core/poll.js';
import { type Provided, resolveProvided } from '../core/provided.js';
import { pollers } from '../platforms/index.js';
import type { Adapters } from './adapters.js';
import { stage } from './stage.js';

export interface PollHandlerDependencies extends PollDependencies {
  pollers: readonly Poller[];
}

/**
 * The scheduled poll (an EventBridge schedule on AWS, the local scheduler on one machine): every poller in
 * turn. One platform failing does not stop the others; the run then fails naming them, so alarms see it.
 */
export function createPollHandler(
  dependencies: Provided<PollHandlerDependencies>,
  onError: (error: unknown, platform: string) => void = () => {},
) {
  return async (): Promise<{ reports: PollReport[] }> => {
    const deps = await resolveProvided(dependencies);
    const reports: PollReport[] = [];
    const failed: string[] = [];
    for (const poller of deps.pollers) {
      try {
        reports.push(await pollOnce(poller, deps));
      } catch (error) {
        onError(error, poller.platform);
        failed.push(`${poller.platform}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failed.length > 0) throw new FoghornError(`poll failed for ${failed.join('; ')}`, { status: 503, detail: { reports } });
    return { reports };
  };
}

/**
 * The poll stage: every poller in turn, into the same store and bus as webhooks. Reads always go out for
 * real (live sender): sandbox mode is about what Foghorn says, not what it reads.
 */
export function pollStage(adapters: Provided<Adapters>): () => Promise<{ reports: PollReport[] }> {
  return stage(adapters, (wired) =>
    createPollHandler(
      {
        pollers,
        cursors: wired.cursors,
        store: wired.events,
        publisher: wired.bus,
        settings: wired.settings,
        send: (request) => wired.live.send(request),
        clock: wired.clock,
      },
      (error, platform) => wired.logger.error('poll failed', { platform, error }),
    ),
  );
}

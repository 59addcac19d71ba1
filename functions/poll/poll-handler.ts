import { FoghornError } from '../core/errors.js';
import { type Provided, resolveProvided } from '../core/provider.js';
import type { Poller } from '../platforms/connector.js';
import { type PollDependencies, type PollReport, pollOnce } from './poll.js';

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

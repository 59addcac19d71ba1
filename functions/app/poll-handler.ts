import type { Poller } from '../core/connector.js';
import { FoghornError } from '../core/errors.js';
import { type PollDependencies, type PollReport, pollOnce } from '../core/poll.js';
import { type Provided, resolveProvided } from '../core/provided.js';
import {
  type ListenReport,
  type ListenStatus,
  listeningSourcesOf,
  listenOnce,
  listenStatuses,
  parseListenSection,
} from '../listening/index.js';
import type { ListenDependencies } from '../listening/listen.js';
import type { ListeningSource } from '../listening/source.js';
import { pollers } from '../platforms/index.js';
import type { Adapters } from './adapters.js';
import { stage } from './stage.js';

export interface PollHandlerDependencies extends PollDependencies, ListenDependencies {
  pollers: readonly Poller[];
  /** The listening sources of the team config's `listen:` section as it is now (re-read on every run). */
  listening?: () => readonly ListeningSource[];
}

/** Which half of the poll to run: the local runtime ticks listening on its own, more often than the platforms. */
export interface PollRequest {
  only?: 'platforms' | 'listening';
}

/**
 * The scheduled poll (an EventBridge schedule on AWS, the local scheduler on one machine): every poller in
 * turn. One platform failing does not stop the others; the run then fails naming them, so alarms see it.
 */
export function createPollHandler(
  dependencies: Provided<PollHandlerDependencies>,
  onError: (error: unknown, platform: string) => void = () => {},
) {
  return async (request?: PollRequest): Promise<{ reports: PollReport[]; listening: ListenReport[] }> => {
    const deps = await resolveProvided(dependencies);
    const reports: PollReport[] = [];
    const listening: ListenReport[] = [];
    const failed: string[] = [];
    for (const poller of request?.only === 'listening' ? [] : deps.pollers) {
      try {
        reports.push(await pollOnce(poller, deps));
      } catch (error) {
        onError(error, poller.platform);
        failed.push(`${poller.platform}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    // Each source when it is due (its `every`), never inside a backoff; its failures are its status, not the run's.
    for (const source of request?.only === 'platforms' ? [] : (deps.listening?.() ?? [])) {
      const report = await listenOnce(source, deps);
      if (report.status === 'failed') onError(new Error(report.error), source.platform);
      listening.push(report);
    }
    if (failed.length > 0) throw new FoghornError(`poll failed for ${failed.join('; ')}`, { status: 503, detail: { reports, listening } });
    return { reports, listening };
  };
}

/**
 * The poll stage: every poller in turn, into the same store and bus as webhooks. Reads always go out for
 * real (live sender): sandbox mode is about what Foghorn says, not what it reads.
 */
export function pollStage(
  adapters: Provided<Adapters>,
): (request?: PollRequest) => Promise<{ reports: PollReport[]; listening: ListenReport[] }> {
  return stage(adapters, async (wired) => {
    await wired.teamConfig.load();
    return createPollHandler(
      {
        pollers,
        listening: () => listeningOf(wired),
        audit: wired.crisisStores.audit,
        commands: wired.actionsQueue,
        cursors: wired.cursors,
        store: wired.events,
        publisher: wired.bus,
        settings: wired.settings,
        send: (request) => wired.live.send(request),
        clock: wired.clock,
      },
      (error, platform) => wired.logger.error('poll failed', { platform, error }),
    );
  });
}

/** The sources of the team config's `listen:` section (checked with the rest of the config when it was loaded). */
function listeningOf(adapters: Adapters): ListeningSource[] {
  return listeningSourcesOf(parseListenSection((adapters.teamConfig.current() as Record<string, unknown>).listen));
}

/** Each listening source's health (/health): its state, failures in a row and last error. */
export function listenStatusStage(adapters: Provided<Adapters>): () => Promise<ListenStatus[]> {
  return async () => {
    const wired = await resolveProvided(adapters);
    await wired.teamConfig.load();
    return listenStatuses(listeningOf(wired), wired.cursors, wired.clock.now());
  };
}

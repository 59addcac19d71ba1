import type { Poller, PollResult } from '../core/connector.js';
import { FoghornError, MAX_RETRY_AFTER_MS } from '../core/errors.js';
import type { ListenSourceConfig } from './config.js';

/**
 * One configured listening source, as the poll stage runs it: a Poller (core/connector.ts) whose `platform` is the
 * key of its cursor (`listen:<id>`), so a source is read, stored, published and moved on exactly as a platform
 * without push is (core/poll.ts). Each type lives in functions/listening/<type>/ with client.ts, normalise.ts and
 * index.ts (the factory), its tests and documented samples under test/listening/<type>/.
 */
export interface ListeningSource extends Poller {
  readonly config: ListenSourceConfig;
  poll(cursor: string | undefined, context: Parameters<Poller['poll']>[1]): Promise<ListeningPoll>;
}

/**
 * What a type's poll answers: the new items as events (with their payloads), where to start next time, and what
 * went wrong in a part of the source (one feed URL of several) while the rest was read: the source is then
 * reported failing, and after a 429 not read again for `retryAfterMs`.
 */
export interface ListeningPoll extends PollResult {
  problems?: string[];
  retryAfterMs?: number;
}

/** Makes a type's source from its config; one per type, registered in functions/listening/index.ts. */
export type ListeningSourceFactory = (config: ListenSourceConfig) => ListeningSource;

/** The cursor key of a source: one stored position per source id, apart from the platforms' own. */
export function listenCursorKey(id: string): string {
  return `listen:${id}`;
}

/**
 * A read the platform refused for now: a 429 (with the time its reset header names) or a 5xx. The poll stage
 * waits `retryAfterMs` before reading the source again, and reports the failure.
 */
export class ListeningRateLimitError extends FoghornError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs?: number) {
    super(message, { status: 503 });
    this.retryAfterMs = retryAfterMs === undefined ? undefined : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, retryAfterMs));
  }
}

/** A read that failed in a way waiting will not fix by itself (a 4xx, a body that is not the documented shape). */
export class ListeningReadError extends FoghornError {
  constructor(message: string) {
    super(message, { status: 502 });
  }
}

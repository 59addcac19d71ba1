import type { Poller } from '../platforms/connector.js';
import { redditPoller } from '../platforms/reddit/index.js';

/** Platforms without push, polled on a schedule. */
export const pollers: readonly Poller[] = [redditPoller];

/**
 * How often the schedule runs every poller. Reddit allows about 100 requests a minute per client; a poll
 * costs two (inbox, mentions) plus a token refresh a day.
 */
export const POLL_INTERVAL_MS = 60_000;

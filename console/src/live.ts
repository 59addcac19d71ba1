import { api, query } from './api.js';
import { deployment } from './aws-sign-in.js';
import type { ActionRecord, Decision, FeedEvent } from './types.js';

export interface LiveHandlers {
  event(event: FeedEvent): void;
  action(action: ActionRecord): void;
  decision(eventId: string, decision: Decision): void;
  /** `live`: streaming; `polling`: reading every few seconds (no stream, as on AWS); `connecting`. */
  mode(mode: 'live' | 'polling' | 'connecting'): void;
}

const POLL_MS = 4_000;
/** Events are listed by the time they were received; a slower one can be stored after a later one: read back this far. */
const OVERLAP_MS = 10_000;
const ACTION_WINDOW_MS = 2 * 60_000;
/** Stream errors in a row, with no message between, before the console gives up on streaming. */
const STREAM_FAILURES = 3;

/**
 * Follows the feed from `since` (the newest event already shown): through `GET /api/stream` while it works, else by
 * reading `GET /api/events?since=<cursor>` every few seconds (the AWS HTTP API cannot stream). Returns a stop function.
 */
export function followFeed(since: string | undefined, handlers: LiveHandlers): () => void {
  let cursor = since;
  let stopped = false;
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const advance = (receivedAt: string) => {
    if (!cursor || receivedAt > cursor) cursor = receivedAt;
  };

  const stream = () => {
    handlers.mode('connecting');
    source = new EventSource(`/api/stream${query({ since: cursor })}`);
    let failures = 0;
    source.addEventListener('open', () => {
      failures = 0;
      handlers.mode('live');
    });
    source.addEventListener('event', (message) => {
      failures = 0;
      const event = JSON.parse((message as MessageEvent<string>).data) as FeedEvent;
      advance(event.receivedAt);
      handlers.event(event);
    });
    source.addEventListener('action', (message) => handlers.action(JSON.parse((message as MessageEvent<string>).data) as ActionRecord));
    source.addEventListener('decision', (message) => {
      const { eventId, ...decision } = JSON.parse((message as MessageEvent<string>).data) as Decision & { eventId: string };
      handlers.decision(eventId, decision);
    });
    source.addEventListener('error', () => {
      failures++;
      // CLOSED: the answer was not a stream (a 404 where streaming is not served); the browser will not retry.
      if (source?.readyState === EventSource.CLOSED || failures >= STREAM_FAILURES) {
        source?.close();
        source = undefined;
        if (!stopped) poll();
      } else {
        handlers.mode('connecting');
      }
    });
  };

  const seenDecisions = new Set<string>();
  const waiting = new Map<string, number>();
  const poll = async () => {
    handlers.mode('polling');
    try {
      const from = cursor ? new Date(Date.parse(cursor) - OVERLAP_MS).toISOString() : '1m';
      const events = await api.get<{ events: FeedEvent[] }>(`/api/events${query({ since: from, limit: '500' })}`);
      for (const event of events.events.reverse()) {
        advance(event.receivedAt);
        handlers.event(event);
        if (!seenDecisions.has(event.id)) waiting.set(event.id, Date.now() + 60_000);
      }
      const actionsFrom = new Date(Date.parse(cursor ?? new Date().toISOString()) - ACTION_WINDOW_MS).toISOString();
      const actions = await api.get<{ actions: ActionRecord[] }>(`/api/actions${query({ since: actionsFrom, limit: '500' })}`);
      for (const action of actions.actions.reverse()) handlers.action(action);
      await pollDecisions();
    } catch {
      // The next round tries again; the page shows what it has.
    }
    if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
  };

  const pollDecisions = async () => {
    for (const [id, until] of waiting) if (until < Date.now()) waiting.delete(id);
    const ids = [...waiting.keys()].slice(0, 100);
    if (ids.length === 0) return;
    const search = new URLSearchParams();
    for (const id of ids) search.append('event', id);
    try {
      const { decisions } = await api.get<{ decisions: Record<string, Decision> }>(`/api/decisions?${search}`);
      for (const [id, decision] of Object.entries(decisions)) {
        waiting.delete(id);
        seenDecisions.add(id);
        handlers.decision(id, decision);
      }
    } catch {
      waiting.clear();
    }
  };

  // A deployment that says `live: 'poll'` (AWS: the HTTP API cannot stream) is read by polling from the start.
  if (typeof EventSource === 'function' && deployment()?.live !== 'poll') stream();
  else void poll();
  return () => {
    stopped = true;
    source?.close();
    clearTimeout(timer);
  };
}

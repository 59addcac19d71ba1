import { withoutSecrets } from '../../app/without-secrets.js';
import { type ListingQuery, listingQuery } from '../../core/api-query.js';
import type { CanonicalEvent } from '../../core/event.js';
import type { ActionRecord } from '../../core/ports.js';
import type { LocalAnswer, LocalRequest, LocalStreamSink } from './http-server.js';

/** A listing as the runtime serves it: one page, newest first, and the cursor of the next. */
export type Listing<T> = (query: ListingQuery) => Promise<{ items: T[]; next?: string }>;

export interface StreamSources {
  events: Listing<CanonicalEvent>;
  actions: Listing<ActionRecord>;
  /** The rules that matched an event, once it has been evaluated. */
  decision(eventId: string): Promise<{ rules: string[]; decidedAt: string } | undefined>;
  now(): Date;
  onError(error: unknown): void;
}

export interface StreamTiming {
  /** How often the listings are read (default 250 ms). */
  pollMs?: number;
  /** How often a comment keeps proxies and the browser from closing an idle stream (default 15 s). */
  heartbeatMs?: number;
}

/** Events are listed by the time they were received, which a slower ingest may commit after a later one: read back this far. */
const OVERLAP_MS = 5_000;
/** Actions are listed by their first claim; their status changes after it. Watch the ones this recent. */
const ACTION_WINDOW_MS = 2 * 60_000;
/** How long an event's rules are waited for before the stream stops asking. */
const DECISION_WAIT_MS = 30_000;
/** One read examines up to PAGE_LIMIT × MAX_PAGES items: a burst bigger than that within the window is not all streamed. */
const PAGE_LIMIT = 500;
const MAX_PAGES = 20;
/** The newest events whose rules the stream waits for; the page asks /api/decisions for any other. */
const MAX_AWAITING = 200;

/**
 * `GET /api/stream`: Server-Sent Events for the console's live feed. `event: event` carries a canonical event,
 * `event: action` an action record when it is new or its status changed, `event: decision` the rules that matched
 * an event once it was evaluated. Every message's `id:` is the listing cursor (the latest `receivedAt` sent), so a
 * reconnecting browser resumes with `Last-Event-ID`, and `GET /api/events?since=<cursor>` continues the same feed.
 *
 * Cost: each open stream reads both listings every `pollMs` over a few seconds of events and two minutes of
 * actions, from any store; nothing is read while no console is open. A stream ends when the browser goes away or
 * the runtime stops (the HTTP server ends its open streams).
 */
export function eventStream(sources: StreamSources, timing: StreamTiming = {}): (request: LocalRequest) => LocalAnswer {
  const pollMs = timing.pollMs ?? 250;
  const heartbeatMs = timing.heartbeatMs ?? 15_000;
  return (request) => {
    const resumeFrom = header(request.headers['last-event-id']) ?? request.query.get('since') ?? undefined;
    const start = resumeFrom === undefined ? new Date(sources.now().getTime() - OVERLAP_MS) : new Date(resumeFrom);
    if (Number.isNaN(start.getTime())) {
      return {
        status: 400,
        body: {
          error: `since must be an ISO 8601 time such as 2025-01-31T09:00:00.000Z (the id of a stream message), got '${resumeFrom}'`,
          detail: { parameter: 'since', allowed: 'an ISO 8601 time', got: resumeFrom },
        },
      };
    }
    return {
      status: 200,
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      },
      stream: (sink) => new StreamSession(sources, sink, start, pollMs, heartbeatMs).start(),
    };
  };
}

class StreamSession {
  private cursor: string;
  private readonly sentEvents = new Map<string, string>();
  private readonly sentActions = new Map<string, { version: string; createdAt: string }>();
  private readonly awaitingDecision = new Map<string, number>();
  private closed = false;
  private poll: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly sources: StreamSources,
    private readonly sink: LocalStreamSink,
    private readonly startedAt: Date,
    private readonly pollMs: number,
    private readonly heartbeatMs: number,
  ) {
    this.cursor = startedAt.toISOString();
  }

  start(): void {
    this.sink.onClose(() => {
      this.closed = true;
      clearTimeout(this.poll);
      clearInterval(this.heartbeat);
    });
    // The browser waits this long before reconnecting after a drop.
    this.sink.write(`retry: 2000\n: connected\n\n`);
    this.heartbeat = setInterval(() => this.sink.write(': heartbeat\n\n'), this.heartbeatMs);
    void this.tick();
  }

  private async tick(): Promise<void> {
    if (this.closed) return;
    try {
      await this.sendEvents();
      await this.sendActions();
      await this.sendDecisions();
    } catch (error) {
      if (this.closed) return;
      this.sources.onError(error);
    }
    if (!this.closed) this.poll = setTimeout(() => void this.tick(), this.pollMs);
  }

  private async sendEvents(): Promise<void> {
    const since = new Date(Date.parse(this.cursor) - OVERLAP_MS).toISOString();
    const fresh = (await this.read('events', this.sources.events, since)).filter((event) => !this.sentEvents.has(event.id));
    fresh.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
    const now = this.sources.now().getTime();
    for (const event of fresh) {
      if (this.closed) return;
      this.sentEvents.set(event.id, event.receivedAt);
      if (event.receivedAt > this.cursor) this.cursor = event.receivedAt;
      this.awaitingDecision.set(event.id, now + DECISION_WAIT_MS);
      if (this.awaitingDecision.size > MAX_AWAITING) this.awaitingDecision.delete(this.awaitingDecision.keys().next().value as string);
      this.message('event', event);
    }
    for (const [id, receivedAt] of this.sentEvents) if (receivedAt < since) this.sentEvents.delete(id);
  }

  private async sendActions(): Promise<void> {
    const since = new Date(Math.min(this.startedAt.getTime(), this.sources.now().getTime()) - ACTION_WINDOW_MS);
    const rolling = new Date(this.sources.now().getTime() - ACTION_WINDOW_MS);
    const from = (this.sentActions.size === 0 ? since : rolling).toISOString();
    const actions = await this.read('actions', this.sources.actions, from);
    actions.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.updatedAt.localeCompare(b.updatedAt));
    for (const action of actions) {
      if (this.closed) return;
      const version = `${action.updatedAt}|${action.status}|${action.attempts}`;
      if (this.sentActions.get(action.id)?.version === version) continue;
      this.sentActions.set(action.id, { version, createdAt: action.createdAt });
      this.message('action', action);
    }
    for (const [id, { createdAt }] of this.sentActions) if (createdAt < from) this.sentActions.delete(id);
  }

  private async sendDecisions(): Promise<void> {
    const now = this.sources.now().getTime();
    const waiting = [...this.awaitingDecision];
    const decisions = await Promise.all(waiting.map(([eventId]) => this.sources.decision(eventId)));
    for (const [index, [eventId, giveUpAt]] of waiting.entries()) {
      if (this.closed) return;
      const decision = decisions[index];
      if (decision) {
        this.awaitingDecision.delete(eventId);
        this.message('decision', { eventId, rules: decision.rules, decidedAt: decision.decidedAt });
      } else if (giveUpAt <= now) {
        this.awaitingDecision.delete(eventId);
      }
    }
  }

  /** Newest first, over a few pages at most. */
  private async read<T>(name: 'events' | 'actions', listing: Listing<T>, since: string): Promise<T[]> {
    const query = listingQuery(name, new URLSearchParams({ since, limit: String(PAGE_LIMIT) }), this.sources.now());
    const items: T[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await listing(cursor ? { ...query, cursor } : query);
      items.push(...answer.items);
      cursor = answer.next;
      if (!cursor) break;
    }
    return items;
  }

  private message(type: 'event' | 'action' | 'decision', data: unknown): void {
    this.sink.write(`id: ${this.cursor}\nevent: ${type}\ndata: ${JSON.stringify(withoutSecrets(data))}\n\n`);
  }
}

function header(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

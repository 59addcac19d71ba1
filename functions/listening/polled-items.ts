import type { PollResult } from '../core/connector.js';
import { NormaliseError } from '../core/errors.js';
import type { CanonicalEvent } from '../core/event.js';
import type { ListeningPoll } from './source.js';

/**
 * What one poll of a source has read so far: each item's event once (the first with its id: the same post on two
 * pages or in two streams is one), with the platform's payload beside it, and the items that could not be read,
 * quarantined with the reason rather than stopping the source.
 */
export class PolledItems {
  readonly #events = new Map<string, CanonicalEvent>();
  readonly #raw = new Map<string, Buffer>();
  readonly #rejected: NonNullable<PollResult['rejected']>[number][] = [];

  /** Adds `item` as `toEvent` reads it; a NormaliseError quarantines it, anything else is the poll's failure. */
  add(item: unknown, toEvent: (item: unknown) => CanonicalEvent, payload: Buffer = Buffer.from(JSON.stringify(item))): void {
    let event: CanonicalEvent;
    try {
      event = toEvent(item);
    } catch (error) {
      if (!(error instanceof NormaliseError)) throw error;
      this.#rejected.push({ reason: error.message, detail: error.detail, raw: payload });
      return;
    }
    if (this.#events.has(event.id)) return;
    this.#events.set(event.id, event);
    this.#raw.set(event.id, payload);
  }

  /** Keeps a document that is not what the API documents, for a person to look at. */
  reject(reason: string, raw: Buffer): void {
    this.#rejected.push({ reason, raw });
  }

  /** The poll's answer, events oldest first so the pipeline sees a conversation in the order it happened. */
  result(cursor: string | undefined, extra: Pick<ListeningPoll, 'problems' | 'retryAfterMs'> = {}): ListeningPoll {
    const events = [...this.#events.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return {
      events,
      cursor,
      raw: this.#raw,
      ...(this.#rejected.length > 0 ? { rejected: this.#rejected } : {}),
      ...(extra.problems && extra.problems.length > 0 ? { problems: extra.problems } : {}),
      ...(extra.retryAfterMs !== undefined ? { retryAfterMs: extra.retryAfterMs } : {}),
    };
  }
}

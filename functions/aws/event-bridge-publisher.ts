import type { PutEventsCommand, PutEventsCommandOutput, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EVENT_DETAIL_TYPE, EVENT_SOURCE } from '../core/canonical-event.js';
import type { CanonicalEvent } from '../core/event.js';
import { BUS_EVENT_MAX_BYTES, excerptOf } from '../core/event-excerpt.js';
import type { EventPublisher } from '../core/ports.js';
import { packBatches, utf8Bytes } from './batches.js';
import { EntryTooLargeError, EventPublishError } from './errors.js';

/** The part of EventBridgeClient this adapter uses; tests hand in a recorder. */
export interface PutEventsSender {
  send(command: PutEventsCommand): Promise<PutEventsCommandOutput>;
}

export interface EventBridgePublisherOptions {
  busName: string;
  /** Default: an EventBridgeClient for the function's own region and credentials. */
  client?: PutEventsSender;
  /** PutEvents takes at most 10 entries; also the most this adapter packs into one request. */
  maxEntriesPerRequest?: number;
  /** Entries are packed up to this many bytes per request (EventBridge's classic 256 KB). */
  maxRequestBytes?: number;
  /** An entry above this is refused before sending (EventBridge's per-entry ceiling is 1 MiB). */
  maxEntryBytes?: number;
  /**
   * PutEvents requests in flight at once; publishes made meanwhile wait and share the next requests. Default 2: with
   * the sweep's 32 fires at a time it packs about 8 entries a request and finishes no later than 4 would.
   */
  maxInFlight?: number;
  /** Times an entry the bus refused for now (throttled, internal failure) is sent again before it is reported. Default 2. */
  maxRetries?: number;
  /** Waits before a retry; tests hand in one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
  /** Told how many events of a publish the bus refused, before the publish throws (a metric). */
  onFailed?: (count: number) => void;
}

/** Loaded on first publish, so a function that never publishes never loads the EventBridge client at its cold start. */
const eventBridge = () => import('@aws-sdk/client-eventbridge');

const PUT_EVENTS_MAX_ENTRIES = 10;
const KIB = 1024;
/** The entry codes EventBridge means as "try again": the SDK retries whole requests, never one entry of a request. */
const RETRYABLE_ENTRY_CODES = new Set(['ThrottlingException', 'InternalFailure', 'InternalException', 'ServiceUnavailable']);
const RETRY_BASE_MS = 100;

interface Failure {
  /** Its place in the publish, so the failures are reported in the order they were published. */
  index: number;
  eventId: string;
  errorCode?: string;
  errorMessage?: string;
}

/** One publish call waiting for its events: settled when the last of them is on the bus or failed for good. */
interface Publication {
  readonly events: number;
  left: number;
  readonly failed: Failure[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface Pending {
  readonly event: CanonicalEvent;
  readonly entry: PutEventsRequestEntry;
  readonly bytes: number;
  readonly index: number;
  readonly publication: Publication;
  attempt: number;
}

/**
 * Publishes canonical events on the bus as `foghorn.ingest` / `social.event`, the detail being the event itself.
 * Entries go out in as few PutEvents requests as fit (10 entries, 256 KB): one publish's events together, and the
 * publishes made while requests are in flight (the sweep's parallel fires) share the requests that follow, so a
 * run that publishes many events one by one costs about an eighth of the calls. An entry the bus refuses for now is
 * sent again (up to maxRetries, with backoff); one refused for good, or still refused, fails its own publish with
 * EventPublishError naming it, and no other publish.
 */
export class EventBridgePublisher implements EventPublisher {
  readonly #busName: string;
  #client: PutEventsSender | undefined;
  readonly #maxEntries: number;
  readonly #maxRequestBytes: number;
  readonly #maxEntryBytes: number;
  readonly #maxInFlight: number;
  readonly #maxRetries: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #onFailed: ((count: number) => void) | undefined;
  readonly #queue: Pending[] = [];
  #inFlight = 0;

  constructor(options: EventBridgePublisherOptions) {
    if (!options.busName) throw new TypeError('EventBridgePublisher: busName is required');
    this.#busName = options.busName;
    this.#client = options.client;
    this.#maxEntries = Math.min(options.maxEntriesPerRequest ?? PUT_EVENTS_MAX_ENTRIES, PUT_EVENTS_MAX_ENTRIES);
    this.#maxRequestBytes = options.maxRequestBytes ?? 256 * KIB;
    this.#maxEntryBytes = options.maxEntryBytes ?? 1024 * KIB;
    this.#maxInFlight = Math.max(1, options.maxInFlight ?? 2);
    this.#maxRetries = Math.max(0, options.maxRetries ?? 2);
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#onFailed = options.onFailed;
  }

  async publish(events: readonly CanonicalEvent[]): Promise<void> {
    const entries = events.map((event, index) => {
      const entry = this.#entryFor(event);
      return { event, entry, bytes: entrySize(entry), index };
    });
    for (const { event, bytes } of entries) {
      if (bytes > this.#maxEntryBytes) throw new EntryTooLargeError(`event ${event.id} on the bus`, bytes, this.#maxEntryBytes);
    }
    if (entries.length === 0) return;
    const { EventBridgeClient } = await eventBridge();
    this.#client ??= new EventBridgeClient({});
    await new Promise<void>((resolve, reject) => {
      const publication: Publication = { events: events.length, left: entries.length, failed: [], resolve, reject };
      for (const entry of entries) this.#queue.push({ ...entry, publication, attempt: 0 });
      this.#pump();
    });
  }

  /** Starts requests for what is queued, up to maxInFlight at once. */
  #pump(): void {
    while (this.#inFlight < this.#maxInFlight && this.#queue.length > 0) {
      const batch = this.#nextBatch();
      this.#inFlight++;
      void this.#send(batch).finally(() => {
        this.#inFlight--;
        this.#pump();
      });
    }
  }

  /** The queue's head, as many entries as one request takes, in order. */
  #nextBatch(): Pending[] {
    const [first] = packBatches(this.#queue, (pending) => pending.bytes, { maxCount: this.#maxEntries, maxBytes: this.#maxRequestBytes });
    return this.#queue.splice(0, first?.length ?? 0);
  }

  async #send(batch: Pending[]): Promise<void> {
    const { PutEventsCommand } = await eventBridge();
    const retry: Pending[] = [];
    try {
      const output = await (this.#client as PutEventsSender).send(new PutEventsCommand({ Entries: batch.map(({ entry }) => entry) }));
      // Results are positional: the n-th result answers the n-th entry; a failed one carries ErrorCode.
      for (const [index, pending] of batch.entries()) {
        const result = output.Entries?.[index];
        if ((output.FailedEntryCount ?? 0) === 0 || (result?.EventId && !result.ErrorCode)) {
          this.#settle(pending);
          continue;
        }
        const errorCode = result?.ErrorCode ?? 'NoResult';
        if (RETRYABLE_ENTRY_CODES.has(errorCode) && pending.attempt < this.#maxRetries) retry.push(pending);
        else this.#settle(pending, { index: pending.index, eventId: pending.event.id, errorCode, errorMessage: result?.ErrorMessage });
      }
    } catch (error) {
      // The SDK has already retried the request as its retry strategy allows.
      const errorCode = error instanceof Error ? error.name : 'Error';
      const errorMessage = error instanceof Error ? error.message : String(error);
      for (const pending of batch) this.#settle(pending, { index: pending.index, eventId: pending.event.id, errorCode, errorMessage });
    }
    if (retry.length === 0) return;
    const attempt = Math.max(...retry.map((pending) => pending.attempt)) + 1;
    await this.#sleep(RETRY_BASE_MS * 2 ** (attempt - 1) * (1 + Math.random()));
    for (const pending of retry) pending.attempt++;
    // Ahead of what was queued since: they were published first.
    this.#queue.unshift(...retry);
  }

  #settle(pending: Pending, failure?: Failure): void {
    const publication = pending.publication;
    if (failure) publication.failed.push(failure);
    publication.left--;
    if (publication.left > 0) return;
    if (publication.failed.length === 0) {
      publication.resolve();
      return;
    }
    this.#onFailed?.(publication.failed.length);
    const failed = publication.failed.sort((a, b) => a.index - b.index).map(({ index: _index, ...failure }) => failure);
    const codes = [...new Set(failed.map((f) => f.errorCode))].join(', ');
    publication.reject(
      new EventPublishError(`PutEvents to bus ${this.#busName} failed for ${failed.length} of ${publication.events} events (${codes})`, {
        failed,
      }),
    );
  }

  /** A large event travels as its excerpt, well inside an entry's 256 KB; evaluate reads it whole from the store. */
  #entryFor(event: CanonicalEvent): PutEventsRequestEntry {
    const detail = JSON.stringify(excerptOf(event, BUS_EVENT_MAX_BYTES));
    return { EventBusName: this.#busName, Source: EVENT_SOURCE, DetailType: EVENT_DETAIL_TYPE, Detail: detail };
  }
}

/** EventBridge's own arithmetic: Time counts 14 bytes, the strings their UTF-8 length (the bus name does not count). */
export function entrySize(entry: PutEventsRequestEntry): number {
  let size = entry.Time ? 14 : 0;
  size += utf8Bytes(entry.Source ?? '') + utf8Bytes(entry.DetailType ?? '') + utf8Bytes(entry.Detail ?? '');
  for (const resource of entry.Resources ?? []) size += utf8Bytes(resource);
  return size;
}

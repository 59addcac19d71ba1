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
  /** Told how many events of a publish the bus refused, before the publish throws (a metric). */
  onFailed?: (count: number) => void;
}

/** Loaded on first publish, so a function that never publishes never loads the EventBridge client at its cold start. */
const eventBridge = () => import('@aws-sdk/client-eventbridge');

const PUT_EVENTS_MAX_ENTRIES = 10;
const KIB = 1024;

/** Publishes canonical events on the bus as `foghorn.ingest` / `social.event`, the detail being the event itself. */
export class EventBridgePublisher implements EventPublisher {
  readonly #busName: string;
  #client: PutEventsSender | undefined;
  readonly #maxEntries: number;
  readonly #maxRequestBytes: number;
  readonly #maxEntryBytes: number;
  readonly #onFailed: ((count: number) => void) | undefined;

  constructor(options: EventBridgePublisherOptions) {
    if (!options.busName) throw new TypeError('EventBridgePublisher: busName is required');
    this.#busName = options.busName;
    this.#client = options.client;
    this.#maxEntries = Math.min(options.maxEntriesPerRequest ?? PUT_EVENTS_MAX_ENTRIES, PUT_EVENTS_MAX_ENTRIES);
    this.#maxRequestBytes = options.maxRequestBytes ?? 256 * KIB;
    this.#maxEntryBytes = options.maxEntryBytes ?? 1024 * KIB;
    this.#onFailed = options.onFailed;
  }

  async publish(events: readonly CanonicalEvent[]): Promise<void> {
    const entries = events.map((event) => ({ event, entry: this.#entryFor(event) }));
    for (const { event, entry } of entries) {
      const bytes = entrySize(entry);
      if (bytes > this.#maxEntryBytes) throw new EntryTooLargeError(`event ${event.id} on the bus`, bytes, this.#maxEntryBytes);
    }
    if (entries.length === 0) return;
    const { EventBridgeClient, PutEventsCommand } = await eventBridge();
    this.#client ??= new EventBridgeClient({});
    const failed: Array<{ eventId: string; errorCode?: string; errorMessage?: string }> = [];
    // Every batch is tried even after a failure: fewer events are left for the platform's retry to publish.
    for (const batch of packBatches(entries, ({ entry }) => entrySize(entry), {
      maxCount: this.#maxEntries,
      maxBytes: this.#maxRequestBytes,
    })) {
      try {
        const output = await this.#client.send(new PutEventsCommand({ Entries: batch.map(({ entry }) => entry) }));
        if ((output.FailedEntryCount ?? 0) === 0) continue;
        // Results are positional: the n-th result answers the n-th entry; a failed one carries ErrorCode.
        batch.forEach(({ event }, index) => {
          const result = output.Entries?.[index];
          if (result?.EventId && !result.ErrorCode) return;
          failed.push({ eventId: event.id, errorCode: result?.ErrorCode ?? 'NoResult', errorMessage: result?.ErrorMessage });
        });
      } catch (error) {
        const name = error instanceof Error ? error.name : 'Error';
        const message = error instanceof Error ? error.message : String(error);
        for (const { event } of batch) failed.push({ eventId: event.id, errorCode: name, errorMessage: message });
      }
    }
    if (failed.length > 0) {
      this.#onFailed?.(failed.length);
      const codes = [...new Set(failed.map((f) => f.errorCode))].join(', ');
      throw new EventPublishError(`PutEvents to bus ${this.#busName} failed for ${failed.length} of ${events.length} events (${codes})`, {
        failed,
      });
    }
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

import { randomUUID } from 'node:crypto';
import type { CanonicalEvent } from '../../core/event.js';
import type { EventStore, RawPayload, StoredEvent } from '../../core/ports.js';
import { EVENT_RETENTION_DAYS } from '../../core/retention.js';
import type { EventListing, QuarantineEntry } from '../../core/store-listings.js';
import { packRawBody, unpackRawBody } from '../raw-body.js';
import type { EmbeddedDatabase, WriteTx } from './database.js';
import { type IndexPage, listIndexPage, listNewest } from './index-listing.js';
import { type Expiry, expiresAfter, putExpiry, type RetainedKind } from './retention.js';

/**
 * Events, raw payloads and quarantined deliveries in the embedded database:
 *   event/<id>                      { event, published? }
 *   raw/event#<id>                  the payload the event (and the rest of its delivery) came in, gzipped as on DynamoDB (raw-body.ts)
 *   quarantine/<id>                 a signed payload that could not be normalised, its bytes inline
 *   idx/events/<receivedAt>#<id>    → event id (newest-first listings)
 *   idx/quarantine/<receivedAt>#<id> → quarantine id
 * Kept EVENT_RETENTION_DAYS from `receivedAt` (the event with its payload and listing; a quarantined delivery the
 * same), as on DynamoDB: each has its expiry entry (retention.ts) in the write that stores it.
 * With an `outbox`, the store is its own outbox: the event goes on the bus inside the write that stores it,
 * so ingest needs no publish of its own (`published: true`).
 */
export interface EmbeddedEventStoreOptions {
  database: EmbeddedDatabase;
  /** Called inside the write that creates an event, to enqueue it in the same commit. */
  outbox?: (tx: WriteTx, event: CanonicalEvent) => void;
}

interface EventRecord {
  event: CanonicalEvent;
  /** `true` when the outbox enqueued the event in the write that stored it; never written `false`. */
  published?: boolean;
}

interface RawRecord {
  platform: string;
  body: Uint8Array;
  receivedAt: string;
  /** How `body` is kept (raw-body.ts); absent: as received. */
  encoding?: string;
}

interface QuarantineRecord {
  id: string;
  platform: string;
  reason: string;
  detail?: string;
  raw: Uint8Array;
  /** How `raw` is kept (raw-body.ts); absent: as received. */
  rawEncoding?: string;
  receivedAt: string;
}

const EVENTS_INDEX = 'idx/events/';
const QUARANTINE_INDEX = 'idx/quarantine/';
const QUARANTINE_REF = 'quarantine#';

export class EmbeddedEventStore implements EventStore {
  private readonly db: EmbeddedDatabase;
  private readonly outbox: ((tx: WriteTx, event: CanonicalEvent) => void) | undefined;

  constructor(options: EmbeddedEventStoreOptions) {
    if (!options?.database) throw new Error('EmbeddedEventStore: database is required');
    this.db = options.database;
    this.outbox = options.outbox;
    this.db.retain(EVENT_KIND);
    this.db.retain(QUARANTINE_KIND);
  }

  /** The event's record unless it has expired (the sweep may not have removed it yet). */
  private live(eventId: string): EventRecord | undefined {
    const record = this.db.get<EventRecord>(eventKey(eventId));
    return record && !this.db.isExpired(eventExpiry(record.event).at) ? record : undefined;
  }

  /** One write: the event unless its id exists, its raw payload (ref `event#<id>`), and with an outbox its publish. */
  putIfAbsent(event: CanonicalEvent, raw?: RawPayload): Promise<{ created: boolean; published: boolean }> {
    return this.db.write((tx) => {
      const existing = tx.get<EventRecord>(eventKey(event.id));
      if (existing) return { created: false, published: existing.published === true };
      if (raw) {
        const record: RawRecord = { platform: raw.platform, receivedAt: raw.receivedAt.toISOString(), ...packRawBody(raw.body) };
        tx.put(rawKey(`event#${event.id}`), record);
      }
      const published = this.outbox !== undefined;
      const record: EventRecord = published ? { event, published: true } : { event };
      tx.put(eventKey(event.id), record);
      tx.put(`${EVENTS_INDEX}${event.receivedAt}#${event.id}`, event.id);
      putExpiry(tx, eventExpiry(event));
      this.outbox?.(tx, event);
      return { created: true, published };
    });
  }

  async get(eventId: string): Promise<StoredEvent | undefined> {
    return toStored(this.live(eventId));
  }

  /** The payload a ref names: `event#<id>` (a delivery's first event) or `quarantine#<id>`. */
  async getRaw(ref: string): Promise<Buffer | undefined> {
    if (ref.startsWith(QUARANTINE_REF)) {
      const entry = this.db.get<QuarantineRecord>(quarantineKey(ref.slice(QUARANTINE_REF.length)));
      return entry && !this.db.isExpired(expiresAfter(entry.receivedAt, EVENT_RETENTION_DAYS))
        ? unpackRawBody(entry.raw, entry.rawEncoding)
        : undefined;
    }
    const found = this.db.get<RawRecord>(rawKey(ref));
    const record = found && !this.db.isExpired(expiresAfter(found.receivedAt, EVENT_RETENTION_DAYS)) ? found : undefined;
    // A copy (unpacking copies): the decoded bytes may share the database's read buffer.
    return record ? unpackRawBody(record.body, record.encoding) : undefined;
  }

  async listRecent(limit: number): Promise<CanonicalEvent[]> {
    return listNewest(this.db, EVENTS_INDEX, (id: string) => this.live(id)?.event, limit);
  }

  /** One page of events, newest first, filtered (index-listing.ts: the cursor never skips or repeats). */
  async listPage(query: EventListing): Promise<IndexPage<CanonicalEvent>> {
    const page = listIndexPage(this.db, EVENTS_INDEX, (id: string) => this.live(id), {
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
      ...(query.since ? { from: query.since } : {}),
      ...(query.until ? { before: query.until } : {}),
      fingerprint: query.fingerprint ?? '',
      keep: ({ event, published }) =>
        (query.platform === undefined || event.platform === query.platform) &&
        (query.kind === undefined || event.kind === query.kind) &&
        // Every stored event is published before ingest answers 2xx (or again on the platform's retry), as on DynamoDB.
        (query.status === undefined || (query.status === 'published') === (published !== false)),
    });
    return { items: page.items.map((record) => record.event), ...(page.next ? { next: page.next } : {}) };
  }

  async addTags(eventId: string, tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    await this.db.write((tx) => {
      if (!addTagsIn(tx, eventId, tags)) throw new Error(`addTags: no event ${eventId}`);
    });
  }

  /** Keeps the reason and the bytes in one write; the entry's `rawRef` reads them back through getRaw. */
  async quarantine(entry: { platform: string; reason: string; detail?: unknown; raw: Buffer; receivedAt: Date }): Promise<string> {
    const id = `q_${entry.receivedAt.getTime()}_${randomUUID().slice(0, 8)}`;
    const receivedAt = entry.receivedAt.toISOString();
    const packed = packRawBody(entry.raw);
    const record: QuarantineRecord = {
      id,
      platform: entry.platform,
      reason: entry.reason,
      ...(entry.detail === undefined ? {} : { detail: JSON.stringify(entry.detail) }),
      raw: packed.body,
      ...(packed.encoding ? { rawEncoding: packed.encoding } : {}),
      receivedAt,
    };
    await this.db.write((tx) => {
      tx.put(quarantineKey(id), record);
      tx.put(`${QUARANTINE_INDEX}${receivedAt}#${id}`, id);
      putExpiry(tx, quarantineExpiry(record));
    });
    return id;
  }

  async listQuarantine(limit: number): Promise<QuarantineEntry[]> {
    return listNewest(
      this.db,
      QUARANTINE_INDEX,
      (id: string) => {
        const record = this.db.get<QuarantineRecord>(quarantineKey(id));
        if (!record || this.db.isExpired(quarantineExpiry(record).at)) return undefined;
        const { raw: _raw, detail, ...entry } = record;
        return { ...entry, ...(detail === undefined ? {} : { detail }), rawRef: `${QUARANTINE_REF}${record.id}` };
      },
      limit,
    );
  }
}

/** Merges tags into a stored event inside `tx`; false when there is no such event. */
export function addTagsIn(tx: WriteTx, eventId: string, tags: readonly string[]): boolean {
  const record = tx.get<EventRecord>(eventKey(eventId));
  if (!record) return false;
  const current = record.event.tags ?? [];
  const merged = [...new Set([...current, ...tags])];
  if (merged.length !== current.length) tx.put(eventKey(eventId), { ...record, event: { ...record.event, tags: merged } });
  return true;
}

/** The event goes with its payload and its listing, EVENT_RETENTION_DAYS after it was received. */
function eventExpiry(event: CanonicalEvent): Expiry {
  const key = eventKey(event.id);
  return {
    at: expiresAfter(event.receivedAt, EVENT_RETENTION_DAYS),
    key,
    keys: [key, rawKey(`event#${event.id}`), `${EVENTS_INDEX}${event.receivedAt}#${event.id}`],
  };
}

function quarantineExpiry(record: QuarantineRecord): Expiry {
  const key = quarantineKey(record.id);
  return {
    at: expiresAfter(record.receivedAt, EVENT_RETENTION_DAYS),
    key,
    keys: [key, `${QUARANTINE_INDEX}${record.receivedAt}#${record.id}`],
  };
}

const EVENT_KIND: RetainedKind = {
  name: 'events',
  prefix: 'event/',
  expiryOf: (_key, value) => {
    const event = (value as Partial<EventRecord> | undefined)?.event;
    return event?.id && event.receivedAt ? eventExpiry(event) : undefined;
  },
};

const QUARANTINE_KIND: RetainedKind = {
  name: 'quarantine',
  prefix: 'quarantine/',
  expiryOf: (_key, value) => {
    const record = value as Partial<QuarantineRecord> | undefined;
    return record?.id && record.receivedAt ? quarantineExpiry(record as QuarantineRecord) : undefined;
  },
};

function toStored(record: EventRecord | undefined): StoredEvent | undefined {
  if (!record) return undefined;
  return record.published ? { event: record.event, published: true } : { event: record.event };
}

function eventKey(eventId: string): string {
  return `event/${eventId}`;
}

function rawKey(ref: string): string {
  return `raw/${ref}`;
}

function quarantineKey(id: string): string {
  return `quarantine/${id}`;
}

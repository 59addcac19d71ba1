import { randomUUID } from 'node:crypto';
import { type DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { CanonicalEvent } from '../../core/event.js';
import type { IndexPage } from '../../core/index-page.js';
import type { EventStore, RawPayload, StoredEvent } from '../../core/ports.js';
import { EVENT_RETENTION_DAYS } from '../../core/retention.js';
import type { EventListing, QuarantineEntry } from '../../core/store-listings.js';
import { type PackedRawBody, packRawBody, unpackRawBody } from '../raw-body.js';
import { queryNewest } from './index-query.js';
import { fromItem, isConditionFailure, toItem } from './item.js';
import { listingEntry, queryListingNewest, queryListingPage, type ShardedListing } from './sharded-listing.js';
import { expiresIn, TABLE_KEYS } from './table.js';

const EVENTS_LISTING: ShardedListing = { name: 'EVENTS', legacy: 'EVENTS' };
const DEFAULT_RETENTION_DAYS = EVENT_RETENTION_DAYS;

interface EventItem {
  event: CanonicalEvent;
  /** Only on records from before ingest published duplicates again; no longer written. */
  published?: boolean;
  /** Labels added by `tag` actions after the event was stored (a string set, added to atomically). */
  tags?: Set<string>;
  /** The delivery's payload, on its first event (gzipped when `encoding` says so: raw-body.ts). */
  raw?: { platform: string; body: Uint8Array; receivedAt: string; encoding?: string };
  /** The payload was too large to share the event's item: it is in `RAW#event#<id>`. */
  rawApart?: boolean;
}

/** Above this, event and payload together would come near DynamoDB's 400 KB item limit: the payload gets its own item. */
const RAW_INLINE_BYTES = 300 * 1024;

/**
 * Events with their raw payloads, and quarantined deliveries, in the single table. An event and the
 * payload it came in are one conditional put (no read, even for a duplicate); tags are a string set on
 * the event's item, added to in the same write as the completion of the action that tags it.
 */
export class DynamoEventStore implements EventStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly retentionSeconds: number;

  constructor(options: { client: DynamoDBClient; tableName: string; retentionDays?: number }) {
    if (!options.tableName) throw new Error('DynamoEventStore: tableName is required');
    this.client = options.client;
    this.tableName = options.tableName;
    this.retentionSeconds = (options.retentionDays ?? DEFAULT_RETENTION_DAYS) * 86_400;
  }

  /** The payload a `raw.ref` or a quarantine entry's `rawRef` names: `event#<id>`, `quarantine#<id>`, or a `raw:` ref of older records. */
  async getRaw(ref: string): Promise<Buffer | undefined> {
    if (ref.startsWith(EVENT_REF)) {
      const item = fromItem<EventItem>(await this.#getItem(eventItemKey(ref.slice(EVENT_REF.length))));
      if (item?.raw) return unpackRawBody(item.raw.body, item.raw.encoding);
      if (!item?.rawApart) return undefined;
    }
    if (ref.startsWith(QUARANTINE_REF)) {
      const item = fromItem<{ raw?: Uint8Array; rawEncoding?: string }>(
        await this.#getItem(quarantineKey(ref.slice(QUARANTINE_REF.length))),
      );
      return item?.raw ? unpackRawBody(item.raw, item.rawEncoding) : undefined;
    }
    const item = fromItem<{ body: Uint8Array; encoding?: string }>(await this.#getItem({ pk: `RAW#${ref}`, sk: 'RAW' }));
    return item ? unpackRawBody(item.body, item.encoding) : undefined;
  }

  async putIfAbsent(event: CanonicalEvent, raw?: RawPayload): Promise<{ created: boolean; published: boolean }> {
    const receivedAt = new Date(event.receivedAt);
    const packed = raw ? packRawBody(raw.body) : undefined;
    const inline = packed !== undefined && Buffer.byteLength(JSON.stringify(event)) + packed.body.length <= RAW_INLINE_BYTES;
    // Rare (a long post with a payload that does not compress): the payload first, so an event never points at a payload that is not there.
    if (raw && packed && !inline) await this.#putRawApart(event.id, raw, packed);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem({
            ...eventItemKey(event.id),
            ...listingEntry(EVENTS_LISTING, event.id, `${event.receivedAt}#${event.id}`),
            event,
            ...(raw && packed && inline ? { raw: { platform: raw.platform, receivedAt: raw.receivedAt.toISOString(), ...packed } } : {}),
            ...(raw && !inline ? { rawApart: true } : {}),
            ttl: expiresIn(receivedAt, this.retentionSeconds),
          }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { created: true, published: false };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Stored before: ingest publishes it again (evaluation reads its decision), without reading it here.
      return { created: false, published: false };
    }
  }

  async #putRawApart(eventId: string, raw: RawPayload, packed: PackedRawBody): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: toItem({
          pk: `RAW#${EVENT_REF}${eventId}`,
          sk: 'RAW',
          platform: raw.platform,
          ...packed,
          receivedAt: raw.receivedAt.toISOString(),
          ttl: expiresIn(raw.receivedAt, this.retentionSeconds),
        }),
      }),
    );
  }

  async get(eventId: string): Promise<StoredEvent | undefined> {
    const item = fromItem<EventItem>(await this.#getItem(eventItemKey(eventId)));
    return item ? storedEventOf(item) : undefined;
  }

  async #getItem(key: { pk: string; sk: string }) {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: toItem(key), ConsistentRead: true }));
    return Item;
  }

  async listRecent(limit: number): Promise<CanonicalEvent[]> {
    const items = await queryListingNewest<EventItem>(this.client, this.tableName, EVENTS_LISTING, limit);
    return items.map((item) => storedEventOf(item).event);
  }

  /** One page of events, newest first, filtered (see sharded-listing.ts for why the cursor never skips or repeats). */
  async listPage(query: EventListing): Promise<IndexPage<CanonicalEvent>> {
    const page = await queryListingPage<EventItem>(this.client, this.tableName, EVENTS_LISTING, {
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
      ...(query.since ? { from: query.since } : {}),
      ...(query.until ? { before: query.until } : {}),
      fingerprint: query.fingerprint ?? '',
      // An event is published before ingest answers 2xx (or published again on the platform's retry); only
      // records from before that still say `published: false` when their publish was never confirmed.
      keep: ({ event, published }) =>
        (query.platform === undefined || event.platform === query.platform) &&
        (query.kind === undefined || event.kind === query.kind) &&
        (query.status === undefined || (query.status === 'published') === (published !== false)),
    });
    return { items: page.items.map((item) => storedEventOf(item).event), ...(page.next ? { next: page.next } : {}) };
  }

  /** Adds labels to a stored event in one write (the act stage writes them with the completion: tagsUpdate). */
  async addTags(eventId: string, tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    try {
      await this.client.send(new UpdateItemCommand({ TableName: this.tableName, ...tagsUpdate(eventId, tags) }));
    } catch (error) {
      if (isConditionFailure(error)) throw new Error(`addTags: no event ${eventId}`);
      throw error;
    }
  }

  async quarantine(entry: { platform: string; reason: string; detail?: unknown; raw: Buffer; receivedAt: Date }): Promise<string> {
    const id = `q_${entry.receivedAt.getTime()}_${randomUUID().slice(0, 8)}`;
    const packed = packRawBody(entry.raw);
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: toItem({
          ...quarantineKey(id),
          [TABLE_KEYS.gsi1.partitionKey]: 'QUARANTINE',
          [TABLE_KEYS.gsi1.sortKey]: `${entry.receivedAt.toISOString()}#${id}`,
          id,
          platform: entry.platform,
          reason: entry.reason,
          detail: entry.detail === undefined ? undefined : JSON.stringify(entry.detail),
          rawRef: `${QUARANTINE_REF}${id}`,
          // The bytes sit with the entry, one write (ingest's body limit keeps them well under the item limit).
          raw: packed.body,
          ...(packed.encoding ? { rawEncoding: packed.encoding } : {}),
          receivedAt: entry.receivedAt.toISOString(),
          ttl: expiresIn(entry.receivedAt, this.retentionSeconds),
        }),
      }),
    );
    return id;
  }

  async listQuarantine(
    limit: number,
  ): Promise<Array<{ id: string; platform: string; reason: string; detail?: string; rawRef: string; receivedAt: string }>> {
    const items = await queryNewest<QuarantineEntry>(this.client, this.tableName, 'QUARANTINE', limit);
    // Only the entry: the table's keys and ttl are storage, not answer.
    return items.map(({ id, platform, reason, detail, rawRef, receivedAt }) => ({
      id,
      platform,
      reason,
      ...(detail === undefined ? {} : { detail }),
      rawRef,
      receivedAt,
    }));
  }
}

const EVENT_REF = 'event#';
const QUARANTINE_REF = 'quarantine#';

/** The key of an event's item (`EVENT#<id>` / `EVENT`). */
export function eventItemKey(eventId: string): { pk: string; sk: string } {
  return { pk: `EVENT#${eventId}`, sk: 'EVENT' };
}

function quarantineKey(id: string): { pk: string; sk: string } {
  return { pk: `QUARANTINE#${id}`, sk: 'QUARANTINE' };
}

/**
 * Adds `tags` to a stored event's string set (ADD: a set only grows, so a retried write adds nothing twice);
 * refused when there is no such event. The part of an UpdateItem or a transaction's Update after the table name.
 */
export function tagsUpdate(eventId: string, tags: readonly string[]) {
  return {
    Key: toItem(eventItemKey(eventId)),
    UpdateExpression: 'ADD #tags :tags',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeNames: { '#tags': 'tags' },
    ExpressionAttributeValues: toItem({ ':tags': new Set(tags) }),
  };
}

/** The event as stored, with the tags added since (the set, after those it came with). */
function storedEventOf(item: EventItem): StoredEvent {
  const added = item.tags ? [...item.tags] : [];
  const tags = added.length > 0 ? [...new Set([...(item.event.tags ?? []), ...added])] : item.event.tags;
  const event = tags === undefined ? item.event : { ...item.event, tags };
  return item.published === undefined ? { event } : { event, published: item.published };
}

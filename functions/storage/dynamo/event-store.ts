import { createHash, randomUUID } from 'node:crypto';
import { type DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { CanonicalEvent } from '../../core/event.js';
import type { EventStore, StoredEvent } from '../../core/ports.js';
import { type IndexPage, queryIndexPage, queryNewest } from './index-query.js';
import { fromItem, isConditionFailure, toItem } from './item.js';
import { expiresIn, TABLE_KEYS } from './table.js';

const EVENTS_INDEX_KEY = 'EVENTS';
const DEFAULT_RETENTION_DAYS = 90;

interface EventItem {
  event: CanonicalEvent;
  published: boolean;
}

/** Events, raw payloads and quarantined deliveries in the single table. */
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

  async putRaw(platform: string, rawBody: Buffer, receivedAt: Date): Promise<string> {
    // Content-addressed: a redelivery of the same bytes overwrites the same item.
    const ref = `raw:${platform}:${createHash('sha256').update(rawBody).digest('hex')}`;
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: toItem({
          pk: `RAW#${ref}`,
          sk: 'RAW',
          platform,
          body: rawBody,
          receivedAt: receivedAt.toISOString(),
          ttl: expiresIn(receivedAt, this.retentionSeconds),
        }),
      }),
    );
    return ref;
  }

  async getRaw(ref: string): Promise<Buffer | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: toItem({ pk: `RAW#${ref}`, sk: 'RAW' }) }),
    );
    const item = fromItem<{ body: Uint8Array }>(Item);
    return item ? Buffer.from(item.body) : undefined;
  }

  async putIfAbsent(event: CanonicalEvent): Promise<{ created: boolean; published: boolean }> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem({
            pk: eventKey(event.id),
            sk: 'EVENT',
            [TABLE_KEYS.gsi1.partitionKey]: EVENTS_INDEX_KEY,
            [TABLE_KEYS.gsi1.sortKey]: `${event.receivedAt}#${event.id}`,
            event,
            published: false,
            ttl: expiresIn(new Date(event.receivedAt), this.retentionSeconds),
          }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { created: true, published: false };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const existing = await this.get(event.id);
      return { created: false, published: existing?.published ?? false };
    }
  }

  async markPublished(eventId: string): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: toItem({ pk: eventKey(eventId), sk: 'EVENT' }),
        UpdateExpression: 'SET published = :true',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: toItem({ ':true': true }),
      }),
    );
  }

  async get(eventId: string): Promise<StoredEvent | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: toItem({ pk: eventKey(eventId), sk: 'EVENT' }),
        ConsistentRead: true,
      }),
    );
    const item = fromItem<EventItem>(Item);
    return item ? { event: item.event, published: item.published } : undefined;
  }

  async listRecent(limit: number): Promise<CanonicalEvent[]> {
    const items = await queryNewest<EventItem>(this.client, this.tableName, EVENTS_INDEX_KEY, limit);
    return items.map((item) => item.event);
  }

  /** One page of events, newest first, filtered (see queryIndexPage for why the cursor never skips or repeats). */
  async listPage(query: EventListing): Promise<IndexPage<CanonicalEvent>> {
    const page = await queryIndexPage<EventItem>(this.client, this.tableName, EVENTS_INDEX_KEY, {
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
      ...(query.since ? { from: query.since } : {}),
      ...(query.until ? { before: query.until } : {}),
      fingerprint: query.fingerprint ?? '',
      keep: ({ event, published }) =>
        (query.platform === undefined || event.platform === query.platform) &&
        (query.kind === undefined || event.kind === query.kind) &&
        (query.status === undefined || (query.status === 'published') === published),
    });
    return { items: page.items.map((item) => item.event), ...(page.next ? { next: page.next } : {}) };
  }

  async addTags(eventId: string, tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    const current = await this.get(eventId);
    if (!current) throw new Error(`addTags: no event ${eventId}`);
    const merged = [...new Set([...(current.event.tags ?? []), ...tags])];
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: toItem({ pk: eventKey(eventId), sk: 'EVENT' }),
        UpdateExpression: 'SET #event.#tags = :tags',
        ExpressionAttributeNames: { '#event': 'event', '#tags': 'tags' },
        ExpressionAttributeValues: toItem({ ':tags': merged }),
      }),
    );
  }

  async quarantine(entry: { platform: string; reason: string; detail?: unknown; rawRef: string; receivedAt: Date }): Promise<string> {
    const id = `q_${entry.receivedAt.getTime()}_${randomUUID().slice(0, 8)}`;
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: toItem({
          pk: `QUARANTINE#${id}`,
          sk: 'QUARANTINE',
          [TABLE_KEYS.gsi1.partitionKey]: 'QUARANTINE',
          [TABLE_KEYS.gsi1.sortKey]: `${entry.receivedAt.toISOString()}#${id}`,
          id,
          platform: entry.platform,
          reason: entry.reason,
          detail: entry.detail === undefined ? undefined : JSON.stringify(entry.detail),
          rawRef: entry.rawRef,
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

interface QuarantineEntry {
  id: string;
  platform: string;
  reason: string;
  detail?: string;
  rawRef: string;
  receivedAt: string;
}

/** What `listPage` filters by; times are ISO (`since` inclusive, `until` exclusive). */
export interface EventListing {
  limit: number;
  cursor?: string;
  platform?: string;
  kind?: string;
  status?: string;
  since?: string;
  until?: string;
  fingerprint?: string;
}

function eventKey(eventId: string): string {
  return `EVENT#${eventId}`;
}

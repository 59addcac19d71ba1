import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { AuditEntry, AuditLog } from '../../crisis/ports.js';
import { AUDIT_RETENTION_DAYS } from '../../crisis/retention.js';
import { ACTION_AUDIT_ATTRIBUTE, ACTIONS_LISTING } from './action-store.js';
import { isConditionFailure, toItem } from './item.js';
import { listingEntry, queryListingNewest, queryListingPage, type ShardedListing } from './sharded-listing.js';
import { expiresIn, INDEX_ATTRIBUTES, TABLE_KEYS } from './table.js';

const AUDIT_LISTING: ShardedListing = { name: 'AUDIT', legacy: 'AUDIT' };

/**
 * The audit log (`AUDIT#<id>` / `AUDIT`, newest first through gsi2 `AUDIT#<shard>`). An id is recorded once. The
 * line of an action's outcome is not an item of its own: it is kept on the action's item (action-store.ts), and
 * listed from the actions listing, merged with the log's own by time.
 */
export class DynamoAuditLog implements AuditLog {
  private readonly retentionSeconds: number;

  constructor(private readonly options: { client: DynamoDBClient; tableName: string; retentionDays?: number }) {
    if (!options.tableName) throw new Error('DynamoAuditLog: tableName is required');
    this.retentionSeconds = (options.retentionDays ?? AUDIT_RETENTION_DAYS) * 86_400;
  }

  async record(entry: AuditEntry): Promise<void> {
    try {
      await this.options.client.send(new PutItemCommand({ TableName: this.options.tableName, ...auditPut(entry, this.retentionSeconds) }));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async list(limit: number): Promise<AuditEntry[]> {
    const { client, tableName } = this.options;
    const [own, ofActions] = await Promise.all([
      queryListingNewest<Record<string, unknown>>(client, tableName, AUDIT_LISTING, limit),
      // Actions are listed by claim time, their lines dated at completion: the newest `limit` lines are among those of the
      // newest `limit` completed actions but for an action that took longer than those after it.
      queryListingPage<Record<string, unknown>>(client, tableName, ACTIONS_LISTING, {
        limit,
        keep: (item) => item[ACTION_AUDIT_ATTRIBUTE] !== undefined,
      }),
    ]);
    const entries = new Map<string, AuditEntry>();
    for (const entry of own.map((item) => auditEntryOf(item))) entries.set(entry.id, entry);
    for (const item of ofActions.items)
      for (const entry of item[ACTION_AUDIT_ATTRIBUTE] as AuditEntry[]) if (!entries.has(entry.id)) entries.set(entry.id, entry);
    return [...entries.values()].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, limit);
  }
}

/** An audit entry's put, once per id (the part of a PutItem or a transaction's Put after the table name). */
export function auditPut(entry: AuditEntry, retentionSeconds = AUDIT_RETENTION_DAYS * 86_400) {
  return {
    Item: toItem({
      ...entry,
      pk: `AUDIT#${entry.id}`,
      sk: 'AUDIT',
      ...listingEntry(AUDIT_LISTING, entry.id, `${entry.at}#${entry.id}`),
      [TABLE_KEYS.ttl]: expiresIn(new Date(entry.at), retentionSeconds),
    }),
    ConditionExpression: 'attribute_not_exists(pk)',
  };
}

/** The entry without the table's own attributes (keys, index keys, ttl). */
function auditEntryOf(item: Record<string, unknown>): AuditEntry {
  const omitted = new Set<string>([TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, TABLE_KEYS.ttl, ...INDEX_ATTRIBUTES]);
  return Object.fromEntries(Object.entries(item).filter(([name]) => !omitted.has(name))) as unknown as AuditEntry;
}

import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { AuditEntry, AuditLog } from '../../crisis/ports.js';
import { AUDIT_RETENTION_DAYS } from '../../crisis/retention.js';
import { isConditionFailure, toItem } from './item.js';
import { listingEntry, queryListingNewest, type ShardedListing } from './sharded-listing.js';
import { expiresIn, INDEX_ATTRIBUTES, TABLE_KEYS } from './table.js';

const AUDIT_LISTING: ShardedListing = { name: 'AUDIT', legacy: 'AUDIT' };

/** The audit log (`AUDIT#<id>` / `AUDIT`, newest first through gsi2 `AUDIT#<shard>`). An id is recorded once. */
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
    const items = await queryListingNewest<Record<string, unknown>>(this.options.client, this.options.tableName, AUDIT_LISTING, limit);
    return items.map((item) => auditEntryOf(item));
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

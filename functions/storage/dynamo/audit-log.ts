import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { AuditEntry, AuditLog } from '../../crisis/ports.js';
import { AUDIT_RETENTION_DAYS } from '../../crisis/retention.js';
import { queryNewest } from './index-query.js';
import { isConditionFailure, toItem } from './item.js';
import { expiresIn, TABLE_KEYS } from './table.js';

const AUDIT_INDEX = 'AUDIT';

/** The audit log (`AUDIT#<id>` / `AUDIT`, newest first through gsi1 `AUDIT`). An id is recorded once. */
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
    const items = await queryNewest<AuditEntry & Record<string, unknown>>(this.options.client, this.options.tableName, AUDIT_INDEX, limit);
    return items.map(({ pk: _pk, sk: _sk, gsi1pk: _gpk, gsi1sk: _gsk, ttl: _ttl, ...entry }) => entry as AuditEntry);
  }
}

/** An audit entry's put, once per id (the part of a PutItem or a transaction's Put after the table name). */
export function auditPut(entry: AuditEntry, retentionSeconds = AUDIT_RETENTION_DAYS * 86_400) {
  return {
    Item: toItem({
      ...entry,
      pk: `AUDIT#${entry.id}`,
      sk: 'AUDIT',
      [TABLE_KEYS.gsi1.partitionKey]: AUDIT_INDEX,
      [TABLE_KEYS.gsi1.sortKey]: `${entry.at}#${entry.id}`,
      [TABLE_KEYS.ttl]: expiresIn(new Date(entry.at), retentionSeconds),
    }),
    ConditionExpression: 'attribute_not_exists(pk)',
  };
}

import { type DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DAY_SECONDS } from '../../core/retention.js';
import type { Approval, ApprovalStatus, ApprovalStore } from '../../crisis/ports.js';
import { APPROVAL_RETENTION_DAYS } from '../../crisis/retention.js';
import { queryNewest } from './index-query.js';
import { fromItem, isConditionFailure, toItem } from './item.js';
import { shardOf } from './shard.js';
import { expiresIn, TABLE_KEYS } from './table.js';

const STATUSES: readonly ApprovalStatus[] = ['pending', 'approved', 'rejected', 'expired'];
const RETENTION_SECONDS = APPROVAL_RETENTION_DAYS * DAY_SECONDS;

/**
 * A status's listing is spread over this many gsi1 partitions, by a hash of the approval's id: in a crisis every
 * automated reply is held here (about 1,000 a second at 10,000 webhooks/s, each ~1 KB projected whole), more than one
 * partition key takes.
 */
export const APPROVAL_LISTING_SHARDS = 8;

function statusIndexKey(status: ApprovalStatus, id: string): string {
  return `APPROVALS#${status}#${shardOf(id, APPROVAL_LISTING_SHARDS)}`;
}

/** Every partition a status is listed in: its shards, and the one partition approvals were listed in before them. */
function statusPartitions(status: ApprovalStatus): string[] {
  return [`APPROVALS#${status}`, ...Array.from({ length: APPROVAL_LISTING_SHARDS }, (_, shard) => `APPROVALS#${status}#${shard}`)];
}

/**
 * The approval queue (`APPROVAL#<id>` / `APPROVAL`), listed by status through gsi1
 * (`APPROVALS#<status>#<shard>` / `<createdAt>#<id>`, read merged newest first). Deciding is a conditional update
 * from `pending`, so one decision wins however many people click.
 */
export class DynamoApprovalStore implements ApprovalStore {
  constructor(private readonly options: { client: DynamoDBClient; tableName: string }) {
    if (!options.tableName) throw new Error('DynamoApprovalStore: tableName is required');
  }

  async putIfAbsent(approval: Approval): Promise<Approval> {
    try {
      await this.options.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: toItem({
            ...approval,
            pk: `APPROVAL#${approval.id}`,
            sk: 'APPROVAL',
            [TABLE_KEYS.gsi1.partitionKey]: statusIndexKey(approval.status, approval.id),
            [TABLE_KEYS.gsi1.sortKey]: `${approval.createdAt}#${approval.id}`,
            [TABLE_KEYS.ttl]: expiresIn(new Date(approval.expiresAt), RETENTION_SECONDS),
          }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return approval;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (await this.get(approval.id)) ?? approval;
    }
  }

  async get(id: string): Promise<Approval | undefined> {
    const { Item } = await this.options.client.send(
      new GetItemCommand({ TableName: this.options.tableName, Key: key(id), ConsistentRead: true }),
    );
    return strip(fromItem<Approval & Record<string, unknown>>(Item));
  }

  async list(status: ApprovalStatus | undefined, limit: number): Promise<Approval[]> {
    const lists = await Promise.all((status ? [status] : STATUSES).map((one) => this.listStatus(one, limit)));
    return lists
      .flat()
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, limit);
  }

  /** The newest `limit` of a status: each partition's newest `limit`, merged. */
  private async listStatus(status: ApprovalStatus, limit: number): Promise<Approval[]> {
    const partitions = await Promise.all(
      statusPartitions(status).map((partition) =>
        queryNewest<Approval & Record<string, unknown>>(this.options.client, this.options.tableName, partition, limit),
      ),
    );
    return partitions
      .flat()
      .map((item) => strip(item)!)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
      .slice(0, limit);
  }

  async markDispatched(id: string, now: Date): Promise<void> {
    await this.options.client
      .send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: key(id),
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(dispatchedAt)',
          UpdateExpression: 'SET dispatchedAt = :now',
          ExpressionAttributeValues: toItem({ ':now': now.toISOString() }),
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  }

  async decide(id: string, to: Exclude<ApprovalStatus, 'pending'>, by: string, note: string | undefined, now: Date): Promise<boolean> {
    try {
      await this.options.client.send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: key(id),
          ConditionExpression: '#status = :pending',
          UpdateExpression: `SET #status = :to, decidedAt = :now, decidedBy = :by, #gpk = :gpk${note ? ', decisionNote = :note' : ''}`,
          ExpressionAttributeNames: { '#status': 'status', '#gpk': TABLE_KEYS.gsi1.partitionKey },
          ExpressionAttributeValues: toItem({
            ':pending': 'pending',
            ':to': to,
            ':now': now.toISOString(),
            ':by': by,
            ':gpk': statusIndexKey(to, id),
            ...(note ? { ':note': note } : {}),
          }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

function key(id: string) {
  return toItem({ pk: `APPROVAL#${id}`, sk: 'APPROVAL' });
}

function strip(item: (Approval & Record<string, unknown>) | undefined): Approval | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _gpk, gsi1sk: _gsk, ttl: _ttl, ...approval } = item;
  return approval as Approval;
}

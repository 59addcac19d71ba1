import { type DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DAY_SECONDS } from '../../core/retention.js';
import type { Approval, ApprovalStatus, ApprovalStore } from '../../crisis/ports.js';
import { APPROVAL_RETENTION_DAYS } from '../../crisis/retention.js';
import { queryNewest } from './index-query.js';
import { fromItem, isConditionFailure, toItem } from './item.js';
import { expiresIn, TABLE_KEYS } from './table.js';

const STATUSES: readonly ApprovalStatus[] = ['pending', 'approved', 'rejected', 'expired'];
const RETENTION_SECONDS = APPROVAL_RETENTION_DAYS * DAY_SECONDS;

function statusIndexKey(status: ApprovalStatus): string {
  return `APPROVALS#${status}`;
}

/**
 * The approval queue (`APPROVAL#<id>` / `APPROVAL`), listed by status through gsi1
 * (`APPROVALS#<status>` / `<createdAt>#<id>`). Deciding is a conditional update from `pending`,
 * so one decision wins however many people click.
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
            [TABLE_KEYS.gsi1.partitionKey]: statusIndexKey(approval.status),
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

  private async listStatus(status: ApprovalStatus, limit: number): Promise<Approval[]> {
    const items = await queryNewest<Approval & Record<string, unknown>>(
      this.options.client,
      this.options.tableName,
      statusIndexKey(status),
      limit,
    );
    return items.map((item) => strip(item)!);
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
            ':gpk': statusIndexKey(to),
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

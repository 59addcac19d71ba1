import { type DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { ActionCommand } from '../../core/action-command.js';
import type { ActionRecord, ActionStore, ClaimResult } from '../../core/ports.js';
import { type IndexPage, queryIndexPage, queryNewest } from './index-query.js';
import { fromItem, isConditionFailure, toItem } from './item.js';
import { expiresIn, TABLE_KEYS } from './table.js';

const ACTIONS_INDEX_KEY = 'ACTIONS';
const DEFAULT_RETENTION_DAYS = 90;

interface ActionItem extends ActionRecord {
  leaseUntil?: number;
}

/**
 * Action records double as idempotency keys: the command id is the key, claimed with a conditional
 * update before the outside call and completed after it, so a redelivered command never acts twice.
 */
export class DynamoActionStore implements ActionStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly retentionSeconds: number;

  constructor(options: { client: DynamoDBClient; tableName: string; retentionDays?: number }) {
    if (!options.tableName) throw new Error('DynamoActionStore: tableName is required');
    this.client = options.client;
    this.tableName = options.tableName;
    this.retentionSeconds = (options.retentionDays ?? DEFAULT_RETENTION_DAYS) * 86_400;
  }

  async claim(command: ActionCommand, leaseMs: number, now: Date): Promise<ClaimResult> {
    const nowIso = now.toISOString();
    try {
      const { Attributes } = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: actionKey(command.id),
          // Claimable when new, when a previous claim's lease ran out (its worker died), or after a failure.
          ConditionExpression:
            'attribute_not_exists(pk) OR #status IN (:retrying, :failed) OR (#status = :inProgress AND leaseUntil < :now)',
          UpdateExpression: [
            'SET #status = :inProgress, leaseUntil = :lease, updatedAt = :nowIso',
            'attempts = if_not_exists(attempts, :zero) + :one',
            'createdAt = if_not_exists(createdAt, :nowIso)',
            'id = :id, eventId = :eventId, ruleId = :ruleId, #type = :type',
            '#gpk = :gpk, #gsk = if_not_exists(#gsk, :gsk), #ttl = :ttl',
          ].join(', '),
          ExpressionAttributeNames: {
            '#status': 'status',
            '#type': 'type',
            '#ttl': TABLE_KEYS.ttl,
            '#gpk': TABLE_KEYS.gsi1.partitionKey,
            '#gsk': TABLE_KEYS.gsi1.sortKey,
          },
          ExpressionAttributeValues: toItem({
            ':inProgress': 'in-progress',
            ':retrying': 'retrying',
            ':failed': 'failed',
            ':now': now.getTime(),
            ':lease': now.getTime() + leaseMs,
            ':nowIso': nowIso,
            ':zero': 0,
            ':one': 1,
            ':id': command.id,
            ':eventId': command.eventId,
            ':ruleId': command.ruleId,
            ':type': command.type,
            ':gpk': ACTIONS_INDEX_KEY,
            ':gsk': `${nowIso}#${command.id}`,
            ':ttl': expiresIn(now, this.retentionSeconds),
          }),
          // The status before this claim: an expired in-progress claim is a takeover of a worker that never finished.
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      return fromItem<Pick<ActionItem, 'status'>>(Attributes)?.status === 'in-progress' ? 'reclaimed' : 'claimed';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const existing = await this.get(command.id);
      return existing?.status === 'in-progress' ? 'busy' : 'completed';
    }
  }

  async complete(
    commandId: string,
    outcome: Pick<ActionRecord, 'status' | 'mode' | 'request' | 'externalId' | 'error'>,
    now: Date,
  ): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: actionKey(commandId),
        ConditionExpression: 'attribute_exists(pk)',
        UpdateExpression:
          'SET #status = :status, updatedAt = :now, #mode = :mode, #request = :request, externalId = :externalId, #error = :error REMOVE leaseUntil',
        ExpressionAttributeNames: { '#status': 'status', '#mode': 'mode', '#request': 'request', '#error': 'error' },
        ExpressionAttributeValues: toItem({
          ':status': outcome.status,
          ':now': now.toISOString(),
          ':mode': outcome.mode ?? null,
          ':request': outcome.request ?? null,
          ':externalId': outcome.externalId ?? null,
          ':error': outcome.error ?? null,
        }),
      }),
    );
  }

  async release(commandId: string, error: string, now: Date): Promise<void> {
    await this.client
      .send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: actionKey(commandId),
          ConditionExpression: '#status = :inProgress',
          UpdateExpression: 'SET #status = :retrying, updatedAt = :now, #error = :error REMOVE leaseUntil',
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: toItem({
            ':inProgress': 'in-progress',
            ':retrying': 'retrying',
            ':now': now.toISOString(),
            ':error': error,
          }),
        }),
      )
      .catch((caught: unknown) => {
        if (!isConditionFailure(caught)) throw caught;
      });
  }

  async get(commandId: string): Promise<ActionRecord | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: actionKey(commandId), ConsistentRead: true }),
    );
    return toRecord(fromItem<ActionItem>(Item));
  }

  async listRecent(limit: number): Promise<ActionRecord[]> {
    const items = await queryNewest<ActionItem>(this.client, this.tableName, ACTIONS_INDEX_KEY, limit);
    return items.map((item) => toRecord(item) as ActionRecord);
  }

  /** One page of actions, newest first, filtered (see queryIndexPage for why the cursor never skips or repeats). */
  async listPage(query: ActionListing): Promise<IndexPage<ActionRecord>> {
    const page = await queryIndexPage<ActionItem>(this.client, this.tableName, ACTIONS_INDEX_KEY, {
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
      ...(query.since ? { from: query.since } : {}),
      ...(query.until ? { before: query.until } : {}),
      fingerprint: query.fingerprint ?? '',
      keep: (item) =>
        // An event id is `<platform>:<native id>`.
        (query.platform === undefined || item.eventId.startsWith(`${query.platform}:`)) &&
        (query.status === undefined || item.status === query.status) &&
        (query.rule === undefined || item.ruleId === query.rule) &&
        (query.type === undefined || item.type === query.type),
    });
    return { items: page.items.map((item) => toRecord(item) as ActionRecord), ...(page.next ? { next: page.next } : {}) };
  }
}

/** What `listPage` filters by; times are ISO (`since` inclusive, `until` exclusive, by the time of the first claim). */
export interface ActionListing {
  limit: number;
  cursor?: string;
  platform?: string;
  status?: string;
  rule?: string;
  type?: string;
  since?: string;
  until?: string;
  fingerprint?: string;
}

function actionKey(commandId: string) {
  return toItem({ pk: `ACTION#${commandId}`, sk: 'ACTION' });
}

function toRecord(item: ActionItem | undefined): ActionRecord | undefined {
  if (!item) return undefined;
  const record: ActionRecord = {
    id: item.id,
    eventId: item.eventId,
    ruleId: item.ruleId,
    type: item.type,
    status: item.status,
    attempts: item.attempts,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
  if (item.mode) record.mode = item.mode;
  if (item.request) record.request = item.request;
  if (item.externalId) record.externalId = item.externalId;
  if (item.error) record.error = item.error;
  return record;
}

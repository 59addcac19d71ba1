import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { ActionCommand } from '../../core/action-command.js';
import { actionRecordOf } from '../../core/action-record.js';
import type { IndexPage } from '../../core/index-page.js';
import type { ActionOutcomeRecord, ActionRecord, ActionStore, ClaimResult, CompletionEffects } from '../../core/ports.js';
import { ACTION_RETENTION_DAYS } from '../../core/retention.js';
import type { ActionListing } from '../../core/store-listings.js';
import type { AuditEntry } from '../../crisis/ports.js';
import type { ClaimCrisisChecks } from './claim-crisis-checks.js';
import { tagsUpdate } from './event-store.js';
import { fromItem, isConditionFailure, toItem, transactionCancellation, transactionCancellationReasons } from './item.js';
import { listingShard, queryListingNewest, queryListingPage, type ShardedListing } from './sharded-listing.js';
import { expiresIn, TABLE_KEYS } from './table.js';
import { conversationAnswer } from './timer-store.js';

export const ACTIONS_LISTING: ShardedListing = { name: 'ACTIONS', legacy: 'ACTIONS' };
/** The attribute of an action's item that keeps the audit lines of its outcomes, oldest first (audit-log.ts lists them). */
export const ACTION_AUDIT_ATTRIBUTE = 'audit';
/** Claimable when new or after a failure. */
const CLAIMABLE = 'attribute_not_exists(pk) OR #status IN (:retrying, :failed)';
/** … or when a previous claim's lease ran out (its worker died). */
const CLAIMABLE_OR_EXPIRED = `${CLAIMABLE} OR (#status = :inProgress AND leaseUntil < :now)`;
/** The crisis-mode switch (crisis-store.ts). */
const CRISIS_KEY = { pk: 'CRISIS', sk: 'STATE' };
const DEFAULT_RETENTION_DAYS = ACTION_RETENTION_DAYS;

interface ActionItem extends ActionRecord {
  leaseUntil?: number;
}

/**
 * Action records double as idempotency keys: the command id is the key, claimed with a conditional
 * update before the outside call and completed after it, so a redelivered command never acts twice.
 * Two writes per action and no read: a claim that loses gets the record it lost to with the refusal, and
 * the completion carries the action's effects (its event's tags, its audit line on the record itself) in one write.
 */
export class DynamoActionStore implements ActionStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly retentionSeconds: number;

  private readonly crisisChecks: ClaimCrisisChecks | undefined;
  private readonly answerOf: ((command: ActionCommand) => object | undefined) | undefined;

  /**
   * `crisisChecks`: the claims that check the crisis switch in their own write (AWS; see claimWhileCrisisOff).
   * `answerOf`: what a command's claim keeps on its record as `answer` (a reply's, for the analytics function that
   * reads the completed record from the table's stream); nothing when it gives undefined.
   */
  constructor(options: {
    client: DynamoDBClient;
    tableName: string;
    retentionDays?: number;
    crisisChecks?: ClaimCrisisChecks;
    answerOf?: (command: ActionCommand) => object | undefined;
  }) {
    if (!options.tableName) throw new Error('DynamoActionStore: tableName is required');
    this.client = options.client;
    this.crisisChecks = options.crisisChecks;
    this.answerOf = options.answerOf;
    this.tableName = options.tableName;
    this.retentionSeconds = (options.retentionDays ?? DEFAULT_RETENTION_DAYS) * 86_400;
  }

  async claim(command: ActionCommand, leaseMs: number, now: Date): Promise<ClaimResult> {
    if (this.crisisChecks?.wanted(command)) {
      const claimed = await this.claimWhileCrisisOff(command, leaseMs, now);
      if (claimed) return claimed;
    }
    try {
      const { Attributes } = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          ...this.claimUpdate(command, leaseMs, now, CLAIMABLE_OR_EXPIRED),
          // The status before this claim: an expired in-progress claim is a takeover of a worker that never finished.
          ReturnValues: 'UPDATED_OLD',
          // The record that refused the claim comes back with the refusal, so telling busy from done reads nothing.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return fromItem<Pick<ActionItem, 'status'>>(Attributes)?.status === 'in-progress' ? 'reclaimed' : 'claimed';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const refusedBy = (error as { Item?: Record<string, AttributeValue> }).Item;
      // A DynamoDB (or emulator) that returns no item on a refusal is read instead.
      const existing = refusedBy ? fromItem<ActionItem>(refusedBy) : await this.get(command.id);
      return existing?.status === 'in-progress' ? 'busy' : 'completed';
    }
  }

  /**
   * The claim and a check that crisis mode is off, in one TransactWriteItems: a reply claimed this way needs no
   * read of the switch before it goes out (the crisis store answers its guard from the note). Only a new or
   * retried command is claimed so (a transaction returns no old values, so a takeover could not be told from a
   * first claim). Undefined when the plain claim must decide: crisis mode on (the guard then reads it and holds
   * the reply), a takeover, or a conflict.
   */
  private async claimWhileCrisisOff(command: ActionCommand, leaseMs: number, now: Date): Promise<ClaimResult | undefined> {
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                ...this.claimUpdate(command, leaseMs, now, CLAIMABLE),
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            {
              ConditionCheck: {
                TableName: this.tableName,
                Key: toItem(CRISIS_KEY),
                ConditionExpression: 'attribute_not_exists(pk) OR #on = :off',
                ExpressionAttributeNames: { '#on': 'on' },
                ExpressionAttributeValues: toItem({ ':off': false }),
              },
            },
          ],
        }),
      );
      this.crisisChecks?.note(command.id);
      return 'claimed';
    } catch (error) {
      const [action] = transactionCancellationReasons(error) ?? [];
      if (!action) throw error;
      if (action.code !== 'ConditionalCheckFailed' || !action.item) return undefined;
      const existing = fromItem<ActionItem>(action.item);
      if (existing?.status === 'in-progress') return (existing.leaseUntil ?? 0) < now.getTime() ? undefined : 'busy';
      return existing?.status === 'retrying' || existing?.status === 'failed' ? undefined : 'completed';
    }
  }

  /** The claim's update (after the table name): the command's record, in progress under a lease, if `condition` holds. */
  private claimUpdate(command: ActionCommand, leaseMs: number, now: Date, condition: string) {
    const nowIso = now.toISOString();
    const answer = this.answerOf?.(command);
    return {
      Key: actionKey(command.id),
      ConditionExpression: condition,
      UpdateExpression: [
        'SET #status = :inProgress, leaseUntil = :lease, updatedAt = :nowIso',
        'attempts = if_not_exists(attempts, :zero) + :one',
        'createdAt = if_not_exists(createdAt, :nowIso)',
        'id = :id, eventId = :eventId, ruleId = :ruleId, #type = :type',
        // The listing entry is written by the first claim only: later claims and the completion write no index entry.
        '#gpk = if_not_exists(#gpk, :gpk), #gsk = if_not_exists(#gsk, :gsk), #ttl = :ttl',
        ...(answer === undefined ? [] : ['#answer = :answer']),
      ].join(', '),
      ExpressionAttributeNames: {
        '#status': 'status',
        '#type': 'type',
        '#ttl': TABLE_KEYS.ttl,
        '#gpk': TABLE_KEYS.gsi2.partitionKey,
        '#gsk': TABLE_KEYS.gsi2.sortKey,
        ...(answer === undefined ? {} : { '#answer': 'answer' }),
      },
      ExpressionAttributeValues: toItem({
        ':inProgress': 'in-progress',
        ':retrying': 'retrying',
        ':failed': 'failed',
        // DynamoDB refuses a value the expressions do not use.
        ...(condition.includes(':now') ? { ':now': now.getTime() } : {}),
        ':lease': now.getTime() + leaseMs,
        ':nowIso': nowIso,
        ':zero': 0,
        ':one': 1,
        ':id': command.id,
        ':eventId': command.eventId,
        ':ruleId': command.ruleId,
        ':type': command.type,
        ':gpk': `${ACTIONS_LISTING.name}#${listingShard(command.id)}`,
        ':gsk': `${nowIso}#${command.id}`,
        ':ttl': expiresIn(now, this.retentionSeconds),
        ...(answer === undefined ? {} : { ':answer': answer }),
      }),
    };
  }

  /**
   * Records the outcome; with effects, one TransactWriteItems: the action's update, its event's tags added to
   * the event's set, and the answer noted in each conversation a reply answered (timer-store.ts settles the timers
   * waiting there from it); a transaction conflict is tried again. The audit line is kept on the action's own
   * item (`audit`, a list, read by audit-log.ts from the actions listing): written with the outcome in the same
   * write, it needs no item, no listing entry and no transaction of its own (3 WRU less per action), and an
   * outcome with no other effect is one plain UpdateItem.
   */
  async complete(commandId: string, outcome: ActionOutcomeRecord, now: Date, effects?: CompletionEffects): Promise<void> {
    const update = completionUpdate(commandId, outcome, now, effects?.audit);
    const items: Array<{ part: 'action' | 'tags' | 'answered'; item: TransactWriteItem }> = [
      { part: 'action', item: { Update: { TableName: this.tableName, ...update } } },
    ];
    for (const conversation of new Set(effects?.answered?.conversations ?? []))
      items.push({
        part: 'answered',
        item: { Update: { TableName: this.tableName, ...conversationAnswer(conversation, Date.parse(effects!.answered!.at)) } },
      });
    if (effects?.tags && effects.tags.tags.length > 0)
      items.push({
        part: 'tags',
        item: { Update: { TableName: this.tableName, ...tagsUpdate(effects.tags.eventId, effects.tags.tags) } },
      });
    if (items.length === 1) {
      try {
        await this.client.send(new UpdateItemCommand({ TableName: this.tableName, ...update }));
      } catch (error) {
        if (isConditionFailure(error)) throw new Error(`complete: no action ${commandId} (it was never claimed)`, { cause: error });
        throw error;
      }
      return;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(new TransactWriteItemsCommand({ TransactItems: items.map(({ item }) => item) }));
        return;
      } catch (error) {
        const reasons = transactionCancellation(error);
        if (!reasons) throw error;
        const failed = items.map(({ part }, index) => ({ part, code: reasons[index] ?? 'None' })).filter(({ code }) => code !== 'None');
        const conditionFailed = (part: string) => failed.some((entry) => entry.part === part && entry.code === 'ConditionalCheckFailed');
        if (conditionFailed('action')) throw new Error(`complete: no action ${commandId} (it was never claimed)`);
        if (conditionFailed('tags'))
          throw new Error(`complete: action ${commandId} tags event ${effects?.tags?.eventId}, which is not stored`);
        if (failed.every(({ code }) => code === 'TransactionConflict') && attempt < MAX_CONFLICT_ATTEMPTS) continue;
        throw new Error(
          `complete: the transaction for action ${commandId} was cancelled (${failed.map(({ part, code }) => `${part}: ${code}`).join(', ')})`,
          {
            cause: error,
          },
        );
      }
    }
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
    return actionRecordOf(fromItem<ActionItem>(Item));
  }

  async listRecent(limit: number): Promise<ActionRecord[]> {
    const items = await queryListingNewest<ActionItem>(this.client, this.tableName, ACTIONS_LISTING, limit);
    return items.map((item) => actionRecordOf(item) as ActionRecord);
  }

  /** One page of actions, newest first, filtered (see sharded-listing.ts for why the cursor never skips or repeats). */
  async listPage(query: ActionListing): Promise<IndexPage<ActionRecord>> {
    const page = await queryListingPage<ActionItem>(this.client, this.tableName, ACTIONS_LISTING, {
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
    return { items: page.items.map((item) => actionRecordOf(item) as ActionRecord), ...(page.next ? { next: page.next } : {}) };
  }
}

/** Another write raced the completion on one of its items (two tags on one event): tried again this many times in all. */
const MAX_CONFLICT_ATTEMPTS = 3;

/** The completion's update of the action record (the part of an UpdateItem or a transaction's Update after the table name). */
function completionUpdate(commandId: string, outcome: ActionOutcomeRecord, now: Date, audit?: AuditEntry) {
  // Appended: an action claimed again after a failure keeps each outcome's line. The log lists an id once, the
  // first kept (a completion written again appends its line a second time).
  const auditSet = audit ? ', #audit = list_append(if_not_exists(#audit, :noLines), :audit)' : '';
  return {
    Key: actionKey(commandId),
    ConditionExpression: 'attribute_exists(pk)',
    UpdateExpression: `SET #status = :status, updatedAt = :now, #mode = :mode, #request = :request, externalId = :externalId, #error = :error${auditSet} REMOVE leaseUntil`,
    ExpressionAttributeNames: {
      '#status': 'status',
      '#mode': 'mode',
      '#request': 'request',
      '#error': 'error',
      ...(audit ? { '#audit': ACTION_AUDIT_ATTRIBUTE } : {}),
    },
    ExpressionAttributeValues: toItem({
      ':status': outcome.status,
      ':now': now.toISOString(),
      ':mode': outcome.mode ?? null,
      ':request': outcome.request ?? null,
      ':externalId': outcome.externalId ?? null,
      ':error': outcome.error ?? null,
      ...(audit ? { ':audit': [audit], ':noLines': [] } : {}),
    }),
  };
}

function actionKey(commandId: string) {
  return toItem({ pk: `ACTION#${commandId}`, sk: 'ACTION' });
}

import { type AttributeValue, type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DecisionStore, StoredDecision } from '../../core/ports.js';
import { DAY_SECONDS, DECISION_RETENTION_DAYS } from '../../core/retention.js';
import { fromItem, isConditionFailure, toItem } from './item.js';
import { expiresIn } from './table.js';

const RETENTION_SECONDS = DECISION_RETENTION_DAYS * DAY_SECONDS;

/**
 * `DECISION#<event id>`: the first decision made for an event, with its commands. One conditional put and
 * no read: a put that loses to an earlier decision gets that decision back with the refusal. The commands
 * go on the actions queue from the caller (this store is not an outbox: `queued` is always false).
 */
export class DynamoDecisionStore implements DecisionStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;

  constructor(options: { client: DynamoDBClient; tableName: string }) {
    if (!options.tableName) throw new Error('DynamoDecisionStore: tableName is required');
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async get(eventId: string): Promise<StoredDecision | undefined> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key(eventId), ConsistentRead: true }));
    return fromItem<{ decision: StoredDecision }>(Item)?.decision;
  }

  async putIfAbsent(decision: StoredDecision): Promise<{ decision: StoredDecision; created: boolean; queued: boolean }> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem({ ...keyValues(decision.eventId), decision, ttl: expiresIn(new Date(decision.decidedAt), RETENTION_SECONDS) }),
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { decision, created: true, queued: false };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const refusedBy = (error as { Item?: Record<string, AttributeValue> }).Item;
      // A DynamoDB (or emulator) that returns no item on a refusal is read instead.
      const kept = refusedBy ? fromItem<{ decision: StoredDecision }>(refusedBy)?.decision : await this.get(decision.eventId);
      if (!kept) throw new Error(`decision for ${decision.eventId} vanished after a conditional-put conflict`);
      return { decision: kept, created: false, queued: false };
    }
  }
}

function keyValues(eventId: string) {
  return { pk: `DECISION#${eventId}`, sk: 'DECISION' };
}

function key(eventId: string) {
  return toItem(keyValues(eventId));
}

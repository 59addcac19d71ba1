import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DecisionStore, StoredDecision } from '../../core/ports.js';
import { fromItem, isConditionFailure, toItem } from './item.js';
import { expiresIn } from './table.js';

const RETENTION_SECONDS = 14 * 86_400;

/** `DECISION#<event id>`: the first decision made for an event. */
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

  async putIfAbsent(decision: StoredDecision): Promise<StoredDecision> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem({ ...keyValues(decision.eventId), decision, ttl: expiresIn(new Date(decision.decidedAt), RETENTION_SECONDS) }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return decision;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const existing = await this.get(decision.eventId);
      if (!existing) throw new Error(`decision for ${decision.eventId} vanished after a conditional-put conflict`);
      return existing;
    }
  }
}

function keyValues(eventId: string) {
  return { pk: `DECISION#${eventId}`, sk: 'DECISION' };
}

function key(eventId: string) {
  return toItem(keyValues(eventId));
}

import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { CrisisState, CrisisStore } from '../../crisis/ports.js';
import { fromItem, isConditionFailure, toItem } from './item.js';

const KEY = { pk: 'CRISIS', sk: 'STATE' };

/** The crisis-mode switch (`CRISIS` / `STATE`), changed only with a version check. */
export class DynamoCrisisStore implements CrisisStore {
  constructor(private readonly options: { client: DynamoDBClient; tableName: string }) {
    if (!options.tableName) throw new Error('DynamoCrisisStore: tableName is required');
  }

  async get(): Promise<CrisisState> {
    const { Item } = await this.options.client.send(
      new GetItemCommand({ TableName: this.options.tableName, Key: toItem(KEY), ConsistentRead: true }),
    );
    const item = fromItem<CrisisState & { pk: string; sk: string }>(Item);
    if (!item) return { on: false, version: 0 };
    const { pk: _pk, sk: _sk, ...state } = item;
    return state;
  }

  async set(next: Omit<CrisisState, 'version'>, expectedVersion: number): Promise<boolean> {
    try {
      await this.options.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: toItem({ ...KEY, ...next, version: expectedVersion + 1 }),
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk) OR version = :expected' : 'version = :expected',
          ExpressionAttributeValues: toItem({ ':expected': expectedVersion }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

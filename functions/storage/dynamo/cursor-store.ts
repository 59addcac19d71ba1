import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { CursorStore } from '../../core/ports.js';
import { fromItem, toItem } from './item.js';

/** Poll cursors in the single table: `CURSOR#<platform>` / `CURSOR`, one item per platform, overwritten each poll. */
export class DynamoCursorStore implements CursorStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;

  constructor(options: { client: DynamoDBClient; tableName: string }) {
    if (!options.tableName) throw new Error('DynamoCursorStore: tableName is required');
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async get(platform: string): Promise<string | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: toItem(key(platform)), ConsistentRead: true }),
    );
    return fromItem<{ cursor: string }>(Item)?.cursor;
  }

  async put(platform: string, cursor: string, now: Date): Promise<void> {
    await this.client.send(
      new PutItemCommand({ TableName: this.tableName, Item: toItem({ ...key(platform), cursor, updatedAt: now.toISOString() }) }),
    );
  }
}

function key(platform: string): { pk: string; sk: string } {
  if (!platform) throw new Error('DynamoCursorStore: platform is required');
  return { pk: `CURSOR#${platform}`, sk: 'CURSOR' };
}

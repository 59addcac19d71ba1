import { type AttributeValue, type DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { POST_STATUSES, type PostStatus, type PostStore, type ScheduledPost } from '../../posts/ports.js';
import { fromItem, isConditionFailure, toItem } from './item.js';
import { TABLE_KEYS } from './table.js';

function statusIndexKey(status: PostStatus): string {
  return `POSTS#${status}`;
}

function key(id: string) {
  if (!id) throw new Error('DynamoPostStore: a post id is required');
  return { pk: `POST#${id}`, sk: 'POST' };
}

function item(post: ScheduledPost): Record<string, AttributeValue> {
  return toItem({
    ...post,
    ...key(post.id),
    [TABLE_KEYS.gsi1.partitionKey]: statusIndexKey(post.status),
    [TABLE_KEYS.gsi1.sortKey]: `${post.at}#${post.id}`,
  });
}

/**
 * Scheduled posts in the single table (`POST#<id>` / `POST`), indexed by status and minute through gsi1
 * (`POSTS#<status>` / `<at>#<id>`): the sweep queries the scheduled posts up to this minute, never a scan. An
 * update is a put conditional on the version it read, which also moves the index entry with the status.
 */
export class DynamoPostStore implements PostStore {
  constructor(private readonly options: { client: DynamoDBClient; tableName: string }) {
    if (!options.tableName) throw new Error('DynamoPostStore: tableName is required');
  }

  async create(post: ScheduledPost): Promise<boolean> {
    try {
      await this.options.client.send(
        new PutItemCommand({ TableName: this.options.tableName, Item: item(post), ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async get(id: string): Promise<ScheduledPost | undefined> {
    const { Item } = await this.options.client.send(
      new GetItemCommand({ TableName: this.options.tableName, Key: toItem(key(id)), ConsistentRead: true }),
    );
    return strip(fromItem<Record<string, unknown>>(Item));
  }

  async list(status: PostStatus | undefined, limit: number): Promise<ScheduledPost[]> {
    const lists = await Promise.all((status ? [status] : POST_STATUSES).map((one) => this.query(one, limit)));
    return lists
      .flat()
      .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id))
      .slice(0, limit);
  }

  due(status: PostStatus, through: Date, limit: number): Promise<ScheduledPost[]> {
    return this.query(status, limit, `${through.toISOString()}#\uffff`);
  }

  async update(next: ScheduledPost, expectedVersion: number): Promise<boolean> {
    try {
      await this.options.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: item({ ...next, version: expectedVersion + 1 }),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: toItem({ ':expected': expectedVersion }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** One status's posts, earliest first, up to `limit`; with `through`, only those at or before it. */
  private async query(status: PostStatus, limit: number, through?: string): Promise<ScheduledPost[]> {
    const posts: ScheduledPost[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          IndexName: TABLE_KEYS.gsi1.name,
          KeyConditionExpression: through ? '#pk = :pk AND #sk <= :through' : '#pk = :pk',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.gsi1.partitionKey, ...(through ? { '#sk': TABLE_KEYS.gsi1.sortKey } : {}) },
          ExpressionAttributeValues: toItem({ ':pk': statusIndexKey(status), ...(through ? { ':through': through } : {}) }),
          ScanIndexForward: true,
          Limit: Math.min(1000, limit - posts.length),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const found of page.Items ?? []) {
        const post = strip(fromItem<Record<string, unknown>>(found));
        // The index is eventually consistent: a post that has moved on since is not this status's any more.
        if (post?.status === status) posts.push(post);
      }
      start = page.LastEvaluatedKey;
    } while (start && posts.length < limit);
    return posts;
  }
}

function strip(stored: Record<string, unknown> | undefined): ScheduledPost | undefined {
  if (!stored) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _gpk, gsi1sk: _gsk, ...post } = stored;
  return post as unknown as ScheduledPost;
}

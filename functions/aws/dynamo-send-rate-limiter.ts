import { type DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { heldBucket, type SendBucket, type SendRate, takeSends } from '../platforms/send-rates.js';

export interface DynamoSendRateLimiterOptions {
  client: Pick<DynamoDBClient, 'send'>;
  tableName: string;
  /** Conditional writes tried before a take gives up as contended (and says to come back in one send's interval). */
  maxAttempts?: number;
}

/** A bucket or slot left alone this long (a day) is dropped by the table's TTL: a bucket would be full again anyway. */
const IDLE_TTL_SECONDS = 24 * 3600;

type Answer = { granted: true } | { granted: false; retryAfterMs: number };

/**
 * One bucket per platform in the single table (`SENDRATE#<platform>` / `SENDRATE`: `tat`, and `heldUntil` after a 429)
 * and one item per command turned away (`SENDSLOT#<platform>#<command id>` / `SLOT`: the slot it was given, `usedAt`
 * once spent), shared by every act instance. The bucket is read consistently and written on the condition that it
 * still holds what was read, so two instances never spend the same send; a lost race reads again. The slots have a
 * partition key each, so a storm's backlog does not pile onto the bucket's partition.
 */
export class DynamoSendRateLimiter {
  readonly #client: Pick<DynamoDBClient, 'send'>;
  readonly #tableName: string;
  readonly #maxAttempts: number;

  constructor(options: DynamoSendRateLimiterOptions) {
    if (!options.tableName) throw new Error('DynamoSendRateLimiter: tableName is required');
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#maxAttempts = options.maxAttempts ?? 5;
  }

  async take(platform: string, commandId: string, cost: number, rate: SendRate, now: Date): Promise<Answer> {
    if (!commandId) throw new Error('DynamoSendRateLimiter: commandId is required');
    const slot = await this.#readSlot(platform, commandId);
    for (let attempt = 0; attempt < this.#maxAttempts; attempt++) {
      const bucket = await this.#readBucket(platform);
      const decision = takeSends(bucket, slot, now.getTime(), cost, rate);
      switch (decision.kind) {
        case 'wait':
          return { granted: false, retryAfterMs: decision.retryAfterMs };
        case 'slot':
          await this.#spendSlot(platform, commandId, now);
          return { granted: true };
        case 'sent':
          if (await this.#writeBucket(platform, bucket.tat, { tat: decision.tat })) return { granted: true };
          break;
        case 'reserved':
          if (await this.#writeBucket(platform, bucket.tat, { tat: decision.tat })) {
            await this.#putSlot(platform, commandId, decision.slotAt);
            return { granted: false, retryAfterMs: decision.retryAfterMs };
          }
          break;
      }
    }
    return { granted: false, retryAfterMs: Math.ceil(1000 / rate.rateLimit) };
  }

  async holdUntil(platform: string, until: Date, rate: SendRate): Promise<void> {
    for (let attempt = 0; attempt < this.#maxAttempts; attempt++) {
      const bucket = await this.#readBucket(platform);
      if (await this.#writeBucket(platform, bucket.tat, heldBucket(bucket, until.getTime(), rate))) return;
    }
  }

  async #readBucket(platform: string): Promise<SendBucket> {
    const { Item } = await this.#client.send(
      new GetItemCommand({ TableName: this.#tableName, Key: bucketKey(platform), ConsistentRead: true }),
    );
    return {
      ...(Item?.tat?.N === undefined ? {} : { tat: Number(Item.tat.N) }),
      ...(Item?.heldUntil?.N === undefined ? {} : { heldUntil: Number(Item.heldUntil.N) }),
    };
  }

  /** The command's slot, unless it has none or spent it. */
  async #readSlot(platform: string, commandId: string): Promise<number | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({ TableName: this.#tableName, Key: slotKey(platform, commandId), ConsistentRead: true }),
    );
    return Item?.slotAt?.N === undefined || Item.usedAt !== undefined ? undefined : Number(Item.slotAt.N);
  }

  /** False when another instance wrote first. */
  async #writeBucket(platform: string, expected: number | undefined, next: SendBucket): Promise<boolean> {
    const sets = Object.entries(next).filter(([, value]) => value !== undefined) as Array<[string, number]>;
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: bucketKey(platform),
          UpdateExpression: `SET ${sets.map(([name]) => `${name} = :${name}`).join(', ')}, #ttl = :ttl`,
          ConditionExpression: expected === undefined ? 'attribute_not_exists(tat)' : 'tat = :expected',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ...Object.fromEntries(sets.map(([name, value]) => [`:${name}`, { N: String(value) }])),
            ':ttl': { N: String(ttlAfter(Math.max(...sets.map(([, value]) => value)))) },
            ...(expected === undefined ? {} : { ':expected': { N: String(expected) } }),
          },
        }),
      );
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async #putSlot(platform: string, commandId: string, slotAt: number): Promise<void> {
    await this.#client.send(
      new PutItemCommand({
        TableName: this.#tableName,
        Item: { ...slotKey(platform, commandId), slotAt: { N: String(slotAt) }, ttl: { N: String(ttlAfter(slotAt)) } },
      }),
    );
  }

  /** Spent once: a command retried later for another reason (a 5xx) takes from the bucket again. */
  async #spendSlot(platform: string, commandId: string, now: Date): Promise<void> {
    await this.#client.send(
      new UpdateItemCommand({
        TableName: this.#tableName,
        Key: slotKey(platform, commandId),
        UpdateExpression: 'SET usedAt = :now',
        ExpressionAttributeValues: { ':now': { N: String(now.getTime()) } },
      }),
    );
  }
}

function ttlAfter(epochMs: number): number {
  return Math.ceil(epochMs / 1000) + IDLE_TTL_SECONDS;
}

function bucketKey(platform: string): { pk: { S: string }; sk: { S: string } } {
  if (!platform) throw new Error('DynamoSendRateLimiter: platform is required');
  return { pk: { S: `SENDRATE#${platform}` }, sk: { S: 'SENDRATE' } };
}

function slotKey(platform: string, commandId: string): { pk: { S: string }; sk: { S: string } } {
  if (!platform) throw new Error('DynamoSendRateLimiter: platform is required');
  return { pk: { S: `SENDSLOT#${platform}#${commandId}` }, sk: { S: 'SLOT' } };
}

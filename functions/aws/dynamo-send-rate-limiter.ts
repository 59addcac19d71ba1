import { ConditionalCheckFailedException, type DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { heldUntil, type SendRate, takeSends } from '../platforms/send-rates.js';

export interface DynamoSendRateLimiterOptions {
  client: Pick<DynamoDBClient, 'send'>;
  tableName: string;
  /** Conditional writes tried before a take gives up as contended (and says to come back in one send's interval). */
  maxAttempts?: number;
}

/** A bucket left alone this long (a day) is dropped by the table's TTL: it would be full again anyway. */
const IDLE_TTL_SECONDS = 24 * 3600;

/**
 * One bucket per platform in the single table (`SENDRATE#<platform>` / `SENDRATE`, its state one number, `tat`), shared
 * by every act instance: a consistent read, then a write conditional on the value read, so two instances never spend
 * the same send; a lost race reads again. Two calls per send; a turned-away send writes nothing.
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

  async take(
    platform: string,
    cost: number,
    rate: SendRate,
    now: Date,
  ): Promise<{ granted: true } | { granted: false; retryAfterMs: number }> {
    for (let attempt = 0; attempt < this.#maxAttempts; attempt++) {
      const tat = await this.#read(platform);
      const decision = takeSends(tat, now.getTime(), cost, rate);
      if (!decision.granted) return decision;
      if (await this.#write(platform, tat, decision.tat)) return { granted: true };
    }
    return { granted: false, retryAfterMs: Math.ceil(1000 / rate.rateLimit) };
  }

  async holdUntil(platform: string, until: Date, rate: SendRate): Promise<void> {
    for (let attempt = 0; attempt < this.#maxAttempts; attempt++) {
      const tat = await this.#read(platform);
      const held = heldUntil(tat, until.getTime(), rate);
      if (held === tat || (await this.#write(platform, tat, held))) return;
    }
  }

  async #read(platform: string): Promise<number | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({ TableName: this.#tableName, Key: key(platform), ConsistentRead: true, ProjectionExpression: 'tat' }),
    );
    return Item?.tat?.N === undefined ? undefined : Number(Item.tat.N);
  }

  /** False when another instance wrote first. */
  async #write(platform: string, expected: number | undefined, tat: number): Promise<boolean> {
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: key(platform),
          UpdateExpression: 'SET tat = :tat, #ttl = :ttl',
          ConditionExpression: expected === undefined ? 'attribute_not_exists(tat)' : 'tat = :expected',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':tat': { N: String(tat) },
            ':ttl': { N: String(Math.ceil(tat / 1000) + IDLE_TTL_SECONDS) },
            ...(expected === undefined ? {} : { ':expected': { N: String(expected) } }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || (error as { name?: string }).name === 'ConditionalCheckFailedException')
        return false;
      throw error;
    }
  }
}

function key(platform: string): { pk: { S: string }; sk: { S: string } } {
  if (!platform) throw new Error('DynamoSendRateLimiter: platform is required');
  return { pk: { S: `SENDRATE#${platform}` }, sk: { S: 'SENDRATE' } };
}

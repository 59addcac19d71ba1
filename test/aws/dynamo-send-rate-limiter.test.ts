import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoSendRateLimiter } from '../../functions/aws/dynamo-send-rate-limiter.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';

describe('DynamoSendRateLimiter (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  const limiter = () => new DynamoSendRateLimiter({ client: dynamo.current.client, tableName: dynamo.current.tableName });
  const rate = { rateLimit: 2, burstLimit: 5 };
  const t0 = new Date('2026-12-02T10:00:00Z');

  it('shares one bucket between instances: together they get the burst, then one send per interval', async () => {
    // Prepare: two act instances, each with its own client view of the same table.
    const [one, two] = [limiter(), limiter()];
    // Act: twelve takes at the same moment, in parallel, from both.
    const decisions = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? one : two).take('telegram', 1, rate, t0)));
    // Assess: exactly the burst went through, however the writes raced.
    const granted = decisions.filter((decision) => decision.granted).length;
    expect(granted).toBeLessThanOrEqual(5);
    expect(granted).toBeGreaterThanOrEqual(1);
    const { Item } = await dynamo.current.client.send(
      new GetItemCommand({ TableName: dynamo.current.tableName, Key: { pk: { S: 'SENDRATE#telegram' }, sk: { S: 'SENDRATE' } } }),
    );
    expect(Number(Item?.tat?.N)).toBe(t0.getTime() + granted * 500);
    expect(Number(Item?.ttl?.N)).toBeGreaterThan(t0.getTime() / 1000);

    // Sequentially the rest of the burst goes, then nothing until the next interval.
    const more: boolean[] = [];
    for (let i = 0; i < 6; i++) more.push((await one.take('telegram', 1, rate, t0)).granted);
    expect(more.filter(Boolean)).toHaveLength(5 - granted);
    expect(await two.take('telegram', 1, rate, t0)).toEqual({ granted: false, retryAfterMs: 500 });
    expect((await two.take('telegram', 1, rate, new Date(t0.getTime() + 500))).granted).toBe(true);
  });

  it('keeps each platform apart, and a hold after a 429 stops every instance until its time', async () => {
    const [one, two] = [limiter(), limiter()];
    expect((await one.take('discord', 1, rate, t0)).granted).toBe(true);
    await one.holdUntil('discord', new Date(t0.getTime() + 30_000), rate);
    expect(await two.take('discord', 1, rate, t0)).toEqual({ granted: false, retryAfterMs: 30_000 });
    expect((await two.take('slack', 1, rate, t0)).granted).toBe(true);
    expect((await two.take('discord', 1, rate, new Date(t0.getTime() + 30_000))).granted).toBe(true);
  });

  it('says what is missing when built or used without a name', async () => {
    expect(() => new DynamoSendRateLimiter({ client: dynamo.current.client, tableName: '' })).toThrow(/tableName is required/);
    await expect(limiter().take('', 1, rate, t0)).rejects.toThrow(/platform is required/);
  });
});

import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoSendRateLimiter } from '../../functions/aws/dynamo-send-rate-limiter.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';

describe('DynamoSendRateLimiter (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  const limiter = () => new DynamoSendRateLimiter({ client: dynamo.current.client, tableName: dynamo.current.tableName });
  const rate = { rateLimit: 2, burstLimit: 5 };
  const t0 = new Date('2026-12-02T10:00:00Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);

  async function slotsOf(platform: string): Promise<number[]> {
    const { Items = [] } = await dynamo.current.client.send(new ScanCommand({ TableName: dynamo.current.tableName }));
    return Items.filter((item) => item.pk?.S?.startsWith(`SENDSLOT#${platform}#`))
      .map((item) => Number(item.slotAt?.N))
      .sort((a, b) => a - b);
  }

  it('shares one bucket between instances racing for it: the burst goes, every other command gets a slot of its own', async () => {
    // Prepare: two act instances over the same table.
    const [one, two] = [limiter(), limiter()];
    // Act: twelve commands at the same moment, in parallel, half through each.
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? one : two).take('telegram', `c-${i}`, 1, rate, t0)));
    // Assess: no more than the burst went, and no two commands were given the same turn however the writes raced.
    const granted = answers.filter((answer) => answer.granted).length;
    expect(granted).toBeLessThanOrEqual(5);
    const slots = await slotsOf('telegram');
    expect(new Set(slots).size).toBe(slots.length);
    for (const slot of slots) expect((slot - t0.getTime()) % 500).toBe(0);
    const { Item } = await dynamo.current.client.send(
      new GetItemCommand({ TableName: dynamo.current.tableName, Key: { pk: { S: 'SENDRATE#telegram' }, sk: { S: 'SENDRATE' } } }),
    );
    // Every send granted and every slot given was charged once.
    expect(Number(Item?.tat?.N)).toBe(t0.getTime() + (granted + slots.length) * 500);
    expect(Number(Item?.ttl?.N)).toBeGreaterThan(t0.getTime() / 1000);
  });

  it('sends a command at its slot once: retried again later, it takes from the bucket like any other', async () => {
    const [one, two] = [limiter(), limiter()];
    for (let i = 0; i < 5; i++) expect((await one.take('slack', `s-${i}`, 1, rate, t0)).granted).toBe(true);
    expect(await one.take('slack', 'queued', 1, rate, t0)).toEqual({ granted: false, retryAfterMs: 500 });
    // Too early, through the other instance: told the rest of its wait.
    expect(await two.take('slack', 'queued', 1, rate, at(-5000))).toEqual({ granted: false, retryAfterMs: 5500 });
    expect(await two.take('slack', 'queued', 1, rate, at(500))).toEqual({ granted: true });
    // Its slot is spent: a later retry (say, after a 5xx) queues again.
    expect(await two.take('slack', 'queued', 1, rate, at(500))).toEqual({ granted: false, retryAfterMs: 500 });
  });

  it('keeps each platform apart, and a hold after a 429 stops every instance until its time', async () => {
    const [one, two] = [limiter(), limiter()];
    expect((await one.take('discord', 'd-1', 1, rate, t0)).granted).toBe(true);
    await one.holdUntil('discord', at(30_000), rate);
    expect(await two.take('discord', 'd-2', 1, rate, t0)).toEqual({ granted: false, retryAfterMs: 30_000 });
    expect((await two.take('vk', 'v-1', 1, rate, t0)).granted).toBe(true);
    expect((await two.take('discord', 'd-2', 1, rate, at(30_000))).granted).toBe(true);
  });

  it('says what is missing when built or used without a name', async () => {
    expect(() => new DynamoSendRateLimiter({ client: dynamo.current.client, tableName: '' })).toThrow(/tableName is required/);
    await expect(limiter().take('', 'c', 1, rate, t0)).rejects.toThrow(/platform is required/);
    await expect(limiter().take('x', '', 1, rate, t0)).rejects.toThrow(/commandId is required/);
  });
});

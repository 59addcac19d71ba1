import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { RuleState } from '../../../functions/core/rule-set.js';
import { memoryRuleState } from '../../../functions/rules/index.js';
import { DynamoRuleState, fixedWindowShards, MIN_SHARD_SHARE, shardShare } from '../../../functions/storage/dynamo/rule-state.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);

describe('DynamoRuleState', () => {
  const dynamo = useEmbeddedDynamo();
  const state = () => new DynamoRuleState({ client: dynamo.current.client, tableName: dynamo.current.tableName });

  it('allows `limit` acquisitions per sliding window, then refuses until the oldest ages out', async () => {
    const limits = state();
    expect(await limits.tryAcquire('cooldown-a', 2, HOUR, at('2026-01-05T10:00:00Z'))).toBe(true);
    expect(await limits.tryAcquire('cooldown-a', 2, HOUR, at('2026-01-05T10:30:00Z'))).toBe(true);
    expect(await limits.tryAcquire('cooldown-a', 2, HOUR, at('2026-01-05T10:59:59Z'))).toBe(false);
    // One hour after the first acquisition a unit is free again; the second still counts.
    expect(await limits.tryAcquire('cooldown-a', 2, HOUR, at('2026-01-05T11:00:00Z'))).toBe(true);
    expect(await limits.tryAcquire('cooldown-a', 2, HOUR, at('2026-01-05T11:10:00Z'))).toBe(false);
    expect(await limits.peek('cooldown-a', 2, HOUR, at('2026-01-05T11:10:00Z'))).toBe(2);
  });

  it('treats expired entries as absent even though dynalite never deletes them', async () => {
    const limits = state();
    expect(await limits.tryAcquire('once-a-day', 1, 24 * HOUR, at('2026-01-05T10:00:00Z'))).toBe(true);
    expect(await limits.tryAcquire('once-a-day', 1, 24 * HOUR, at('2026-01-06T09:59:59Z'))).toBe(false);
    expect(await limits.tryAcquire('once-a-day', 1, 24 * HOUR, at('2026-01-06T10:00:00Z'))).toBe(true);
  });

  it('stores the item under a LIMIT# key with a ttl for AWS to clean up', async () => {
    await state().tryAcquire('stored', 1, HOUR, at('2026-01-05T10:00:00Z'));
    const { Item } = await dynamo.current.client.send(
      new GetItemCommand({
        TableName: dynamo.current.tableName,
        Key: { pk: { S: 'LIMIT#stored' }, sk: { S: 'SLIDING' } },
      }),
    );
    expect(Item?.ttl?.N).toBe(String(Date.parse('2026-01-05T11:00:00Z') / 1000));
  });

  it('counts large allowances in fixed windows with an atomic counter', async () => {
    const limits = state();
    const now = at('2026-01-05T10:00:10Z');
    const results = [];
    for (let index = 0; index < 12; index++) results.push(await limits.tryAcquire('ceiling', 10, 60_000, now));
    expect(results.filter(Boolean)).toHaveLength(10);
    expect(await limits.peek('ceiling', 10, 60_000, now)).toBe(10);
    expect(await limits.tryAcquire('ceiling', 10, 60_000, at('2026-01-05T10:01:00Z'))).toBe(true);
  });

  it('spreads a large fixed window over items, each refusing past its share, the shares adding up to the limit', async () => {
    expect(fixedWindowShards(MIN_SHARD_SHARE * 2 - 1)).toBe(1);
    expect(fixedWindowShards(200)).toBe(3);
    expect(fixedWindowShards(10_000_000)).toBe(16);
    expect([0, 1, 2].map((shard) => shardShare(200, 3, shard))).toEqual([67, 67, 66]);
    const limits = state();
    const now = at('2026-01-05T10:00:10Z');
    for (let index = 0; index < 210; index++) await limits.tryAcquire('spread', 200, 60_000, now);
    const window = `W#${Math.floor(now.getTime() / 60_000)}`;
    const counts = await Promise.all(
      ['LIMIT#spread', 'LIMIT#spread#1', 'LIMIT#spread#2'].map(async (pk) => {
        const { Item } = await dynamo.current.client.send(
          new GetItemCommand({ TableName: dynamo.current.tableName, Key: { pk: { S: pk }, sk: { S: window } }, ConsistentRead: true }),
        );
        return Number(Item?.count?.N ?? 0);
      }),
    );
    expect(counts).toEqual([67, 67, 66]);
  });

  it('grants exactly `limit` of many concurrent acquisitions (sliding window)', async () => {
    const limits = state();
    const now = at('2026-01-05T10:00:00Z');
    const results = await Promise.all(Array.from({ length: 12 }, () => limits.tryAcquire('race-sliding', 3, HOUR, now)));
    expect(results.filter(Boolean)).toHaveLength(3);
  });

  it('grants exactly `limit` of many concurrent acquisitions (fixed window)', async () => {
    const limits = state();
    const now = at('2026-01-05T10:00:00Z');
    const results = await Promise.all(Array.from({ length: 40 }, () => limits.tryAcquire('race-fixed', 25, 60_000, now)));
    expect(results.filter(Boolean)).toHaveLength(25);
  });

  it('agrees with the memory implementation on the same sequence', async () => {
    const sequence: Array<[string, number, number, string]> = [
      ['k1', 1, HOUR, '2026-01-05T10:00:00Z'],
      ['k1', 1, HOUR, '2026-01-05T10:20:00Z'],
      ['k2', 3, HOUR, '2026-01-05T10:20:00Z'],
      ['k2', 3, HOUR, '2026-01-05T10:21:00Z'],
      ['k2', 3, HOUR, '2026-01-05T10:22:00Z'],
      ['k2', 3, HOUR, '2026-01-05T10:23:00Z'],
      ['k1', 1, HOUR, '2026-01-05T11:00:00Z'],
      ['k2', 3, HOUR, '2026-01-05T11:20:30Z'],
      ['k3', 20, 60_000, '2026-01-05T11:20:30Z'],
    ];
    const run = async (limits: RuleState) => {
      const out: boolean[] = [];
      for (const [key, limit, window, time] of sequence) out.push(await limits.tryAcquire(`agree-${key}`, limit, window, at(time)));
      return out;
    };
    expect(await run(state())).toEqual(await run(memoryRuleState()));
  });
});

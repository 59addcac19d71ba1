import { PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { itemSize } from '../../../capacity/item-size.js';
import { RESPONSE_TIMES_PER_BUCKET } from '../../../functions/analytics/figures.js';
import type { Contribution } from '../../../functions/analytics/stream-folding.js';
import { DynamoAnalyticsStore } from '../../../functions/storage/dynamo/analytics-store.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';

const HOUR = '2026-12-02T10:00:00.000Z';

/** `count` automated first responses of `ms` each, one stream position apiece from `from`. */
function answers(channel: string, from: number, count: number, ms = 90_000): Contribution[] {
  return Array.from({ length: count }, (_, index) => ({
    position: String(from + index),
    deltas: [{ hour: HOUR, platform: 'generic', channel, lang: 'fa', firstAutomated: 1, responseMs: [ms] }],
  }));
}

describe('DynamoAnalyticsStore: exact times apart from the counts (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  const items = async (prefix: string) =>
    (
      await dynamo.current.client.send(
        new QueryCommand({
          TableName: dynamo.current.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: `${prefix}2026-12-02` } },
        }),
      )
    ).Items ?? [];

  it("keeps a busy hour's counts' item small, its exact times up to the cap in an item apart, and reads them as one bucket", async () => {
    const store = new DynamoAnalyticsStore(dynamo.current);
    // Batches as the stream delivers them, past the cap: 2,500 first responses in five batches of 500.
    for (let batch = 0; batch < 5; batch++) expect(await store.addOnce('shard-1', answers('busy', 1 + batch * 500, 500))).toBeUndefined();

    const [counts] = (await items('ANALYTICS#')).filter((item) => item.sk?.S?.includes('busy'));
    const [times] = (await items('ANALYTICSRT#')).filter((item) => item.sk?.S?.includes('busy'));
    expect(counts?.responseMs).toBeUndefined();
    expect(itemSize(counts!)).toBeLessThan(1_024);
    expect(times?.responseMs?.L).toHaveLength(RESPONSE_TIMES_PER_BUCKET);

    const [bucket] = (await store.read(new Date(HOUR), new Date(Date.parse(HOUR) + 3_599_999))).filter((each) => each.channel === 'busy');
    expect(bucket).toMatchObject({ firstAutomated: 2_500 });
    expect(bucket!.responseMs).toHaveLength(RESPONSE_TIMES_PER_BUCKET);
    expect(Object.values(bucket!.histogram).reduce((sum, n) => sum + n, 0)).toBe(2_500);
  });

  it('adds neither counts nor times twice when a batch comes again, nor when only its times are missing', async () => {
    const store = new DynamoAnalyticsStore(dynamo.current);
    const batch = answers('again', 1, 3);
    await store.addOnce('shard-2', batch);
    await store.addOnce('shard-2', batch);
    // A second container (nothing remembered) given the same batch and one more answer.
    await new DynamoAnalyticsStore(dynamo.current).addOnce('shard-2', [...batch, ...answers('again', 4, 1, 120_000)]);
    const [bucket] = (await store.read(new Date(HOUR), new Date(Date.parse(HOUR) + 3_599_999))).filter((each) => each.channel === 'again');
    expect(bucket).toMatchObject({ firstAutomated: 4 });
    expect(bucket!.responseMs).toEqual([90_000, 90_000, 90_000, 120_000]);
  });

  it('reads a bucket written before the split, its times in the counts item, with the times added since', async () => {
    await putBucketBeforeSplit('before', { firstAutomated: 2, 'rt#1': 2, responseMs: [1_000, 1_000] });
    const store = new DynamoAnalyticsStore(dynamo.current);
    await store.add([{ hour: HOUR, platform: 'generic', channel: 'before', lang: 'fa', firstAutomated: 1, responseMs: [5_000] }]);
    const [bucket] = (await store.read(new Date(HOUR), new Date(Date.parse(HOUR) + 3_599_999))).filter((each) => each.channel === 'before');
    expect(bucket).toMatchObject({ firstAutomated: 3 });
    expect(bucket!.responseMs).toEqual([1_000, 1_000, 5_000]);
  });

  it("adds a replayed batch's new counts to a bucket of before the split whose own list of times is almost full", async () => {
    // A bucket written before the split: 1,999 times in the counts' item, and positions up to 5 of shard-3 applied.
    await putBucketBeforeSplit('upgrade', {
      firstAutomated: 1_999,
      responseMs: Array.from({ length: 1_999 }, () => 1_000),
      'seq#shard-3': '5'.padStart(40, '0'),
    });
    const store = new DynamoAnalyticsStore(dynamo.current);
    // The batch comes again with two more: position 5 is in, 6 and 7 are not.
    expect(await store.addOnce('shard-3', answers('upgrade', 5, 3))).toBeUndefined();
    const [bucket] = (await store.read(new Date(HOUR), new Date(Date.parse(HOUR) + 3_599_999))).filter(
      (each) => each.channel === 'upgrade',
    );
    expect(bucket).toMatchObject({ firstAutomated: 2_001 });
  });

  /** A bucket as it was written before the split: its times in the counts' item, under the old key layout. */
  async function putBucketBeforeSplit(channel: string, fields: Record<string, unknown>): Promise<void> {
    await dynamo.current.client.send(
      new PutItemCommand({
        TableName: dynamo.current.tableName,
        Item: marshall({
          pk: 'ANALYTICS#2026-12-02',
          sk: [HOUR, 'generic', channel, 'fa'].map(encodeURIComponent).join('#'),
          hour: HOUR,
          platform: 'generic',
          channel,
          lang: 'fa',
          ...fields,
        }),
      }),
    );
  }
});

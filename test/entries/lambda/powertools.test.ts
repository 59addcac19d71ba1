import type { Context } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { METRIC_NAMES } from '../../../functions/app/app-metrics.js';

type Powertools = typeof import('../../../functions/entries/lambda/powertools.js');

const context = {
  functionName: 'staging-foghorn-ingest',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:staging-foghorn-ingest',
  memoryLimitInMB: '512',
  awsRequestId: 'req-1',
  logGroupName: '/aws/lambda/staging-foghorn-ingest',
  logStreamName: 's',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

/** Everything written to stdout and stderr while `run` runs (Powertools writes EMF and its warnings there). */
async function captured(run: () => Promise<unknown>): Promise<{ stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => stdout.push(String(chunk)) > 0);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => stderr.push(String(chunk)) > 0);
  try {
    await run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return { stdout, stderr };
}

/** The embedded-metric-format lines among the output. */
function emfLines(lines: string[]): Array<Record<string, any>> {
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.startsWith('{') && line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, any>);
}

describe('the Lambda entries metrics (Powertools, embedded metric format)', () => {
  let powertools: Powertools;
  beforeAll(async () => {
    vi.stubEnv('FOGHORN_STAGE', 'staging');
    vi.stubEnv('POWERTOOLS_DEV', '');
    powertools = await import('../../../functions/entries/lambda/powertools.js');
  });
  afterEach(() => vi.restoreAllMocks());

  it("writes a handler's counts as EMF in the Foghorn namespace, with the service, the stage and the count's own dimensions", async () => {
    const handler = powertools.lambdaHandler(async () => {
      powertools.appMetrics.count(METRIC_NAMES.webhooks, { platform: 'telegram', outcome: 'accepted' });
      powertools.appMetrics.count(METRIC_NAMES.slaBreaches, {}, 2);
      powertools.appMetrics.count(METRIC_NAMES.slaBreaches, {}, 1);
      return 'done';
    });
    let result: unknown;
    const { stdout } = await captured(async () => {
      result = await handler({}, context);
    });
    expect(result).toBe('done');
    const lines = emfLines(stdout);
    expect(lines).toHaveLength(2);
    const webhooks = lines.find((line) => 'Webhooks' in line);
    expect(webhooks?._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'Foghorn',
        Dimensions: [['service', 'stage', 'platform', 'outcome']],
        Metrics: [{ Name: 'Webhooks', Unit: 'Count' }],
      },
    ]);
    expect(webhooks).toMatchObject({ service: 'foghorn', stage: 'staging', platform: 'telegram', outcome: 'accepted', Webhooks: 1 });
    // Counts without dimensions are held and written once, after the invocation.
    const breaches = lines.find((line) => 'SlaTimersFired' in line);
    expect(breaches?._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service', 'stage']]);
    expect(breaches?.SlaTimersFired).toEqual([2, 1]);
  });

  it('writes nothing for an invocation that counted nothing, not even Powertools\' "No application metrics" warning', async () => {
    const handler = powertools.lambdaHandler(async () => 'quiet');
    const { stdout, stderr } = await captured(() => handler({}, context));
    expect(emfLines(stdout)).toEqual([]);
    expect([...stdout, ...stderr].join('')).not.toContain('No application metrics');
  });

  it('still writes what a failed invocation counted', async () => {
    const handler = powertools.lambdaHandler(async () => {
      powertools.appMetrics.count(METRIC_NAMES.spikesOpened);
      throw new Error('the table is gone');
    });
    const { stdout } = await captured(() => handler({}, context).catch(() => undefined));
    expect(emfLines(stdout).map((line) => line.SpikesOpened)).toEqual([1]);
  });

  it("counts a queue consumer's batch by outcome (processed, failed), and writes nothing for an empty batch", async () => {
    const records = (n: number) => ({ Records: Array.from({ length: n }, (_, i) => ({ messageId: `m-${i}` })) });
    const handler = powertools.lambdaHandler(
      powertools.countingRecords('evaluate', async (event: { Records: Array<{ messageId: string }> }) => ({
        batchItemFailures: event.Records.slice(0, 1).map((record) => ({ itemIdentifier: record.messageId })),
      })),
    );
    const { stdout } = await captured(() => handler(records(4), context));
    const counted = emfLines(stdout).map((line) => ({ function: line.function, outcome: line.outcome, value: line.QueueRecords }));
    expect(counted).toEqual([
      { function: 'evaluate', outcome: 'processed', value: 3 },
      { function: 'evaluate', outcome: 'failed', value: 1 },
    ]);
    const empty = await captured(() => handler(records(0), context));
    expect(emfLines(empty.stdout)).toEqual([]);
    expect([...empty.stdout, ...empty.stderr].join('')).not.toContain('No application metrics');
  });
});

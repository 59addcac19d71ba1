import type { APIGatewayProxyEventV2, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actStage } from '../../functions/app/act-handler.js';
import type { Adapters } from '../../functions/app/adapters.js';
import { type AppMetrics, actionMetricStatus, countingAudit, METRIC_NAMES } from '../../functions/app/app-metrics.js';
import { ingestStage } from '../../functions/app/ingest-handler.js';
import { localAdapters } from '../../functions/app/local-adapters.js';
import { type WatchedRuleSource, watchedRuleSource } from '../../functions/app/watched-rule-source.js';
import { type ActionCommand, actionCommandId } from '../../functions/core/action-command.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { signGeneric } from '../../functions/platforms/generic/verify.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';
import { makeEvent } from '../support/events.js';
import { sqsBatch } from '../support/sqs.js';

const SECRET = 'metrics-secret';
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** What the assembly counted, in order. */
function recorder(): AppMetrics & { seen: Array<{ name: string; dimensions: Record<string, string>; value: number; unit: string }> } {
  const seen: Array<{ name: string; dimensions: Record<string, string>; value: number; unit: string }> = [];
  return {
    seen,
    count: (name, dimensions = {}, value = 1) => seen.push({ name, dimensions: { ...dimensions }, value, unit: 'count' }),
    milliseconds: (name, ms, dimensions = {}) => seen.push({ name, dimensions: { ...dimensions }, value: ms, unit: 'ms' }),
  };
}

function webhook(platform: string, body: string, signed: boolean): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/{platform}',
    rawPath: `/webhooks/${platform}`,
    rawQueryString: '',
    headers: signed ? { 'x-foghorn-signature': signGeneric(SECRET, Buffer.from(body)) } : {},
    pathParameters: { platform },
    body,
    isBase64Encoded: false,
    requestContext: { http: { method: 'POST' } } as APIGatewayProxyEventV2['requestContext'],
  };
}

function sqsEvent(command: ActionCommand): SQSEvent {
  return sqsBatch([JSON.stringify(command)], { id: () => `m-${command.id}`, queue: 'actions' });
}

describe('what the assembly counts (app-metrics.ts)', () => {
  const dynamo = useEmbeddedDynamo();
  let rules: WatchedRuleSource;
  beforeAll(async () => {
    rules = await watchedRuleSource('rules', quiet);
  });
  afterAll(() => rules.close());

  async function adapters(metrics: AppMetrics): Promise<Adapters> {
    const base = await localAdapters({
      table: dynamo.current,
      rules,
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: SECRET }),
      logger: quiet,
      foghornBaseUrl: () => 'http://127.0.0.1:8787',
    });
    return { ...base, metrics, actionsQueue: { send: async () => {} }, delayAction: async () => {} };
  }

  it('counts each webhook by its platform and whether it was accepted; a platform that is not one counts as unknown', async () => {
    const metrics = recorder();
    const ingest = ingestStage(() => adapters(metrics));
    const body = JSON.stringify({ id: 'm1', kind: 'message', text: 'hello', author: { id: 'u1' }, channel: { id: 'c1' } });
    expect(await ingest(webhook('generic', body, true))).toMatchObject({ statusCode: 200 });
    expect(await ingest(webhook('generic', body, false))).toMatchObject({ statusCode: 401 });
    expect(await ingest(webhook('user-chosen-path-1234', body, false))).toMatchObject({ statusCode: 404 });
    expect(metrics.seen).toEqual([
      { name: 'Webhooks', dimensions: { platform: 'generic', outcome: 'accepted' }, value: 1, unit: 'count' },
      { name: 'Webhooks', dimensions: { platform: 'generic', outcome: 'refused' }, value: 1, unit: 'count' },
      { name: 'Webhooks', dimensions: { platform: 'unknown', outcome: 'refused' }, value: 1, unit: 'count' },
    ]);
  });

  it('counts each action by type and status, a sandboxed one apart from a sent one and a redelivery as a duplicate', async () => {
    const metrics = recorder();
    const act = actStage(() => adapters(metrics));
    const event = makeEvent({ id: 'generic:metrics-1' });
    const command: ActionCommand = {
      id: actionCommandId(event.id, 'faq', 0),
      eventId: event.id,
      ruleId: 'faq',
      index: 0,
      type: 'reply',
      params: { text: 'Thanks, we are on it' },
      event,
      createdAt: new Date(Date.now() - 1500).toISOString(),
    };
    expect(await act(sqsEvent(command))).toEqual({ batchItemFailures: [] });
    expect(await act(sqsEvent(command))).toEqual({ batchItemFailures: [] });
    const counted = metrics.seen.filter((seen) => seen.name === METRIC_NAMES.actions);
    expect(counted.map((seen) => seen.dimensions)).toEqual([
      { type: 'reply', status: 'sandboxed' },
      { type: 'reply', status: 'duplicate' },
    ]);
    // How long after its decision the action was done: measured once, for the delivery that did it.
    const delays = metrics.seen.filter((seen) => seen.name === METRIC_NAMES.actionDelay);
    expect(delays).toHaveLength(1);
    expect(delays[0]).toMatchObject({ dimensions: { type: 'reply' }, unit: 'ms' });
    expect(delays[0]!.value).toBeGreaterThanOrEqual(1500);
  });

  it('names every outcome of act with a status of its own', () => {
    const record = (status: 'succeeded' | 'failed' | 'held' | 'unknown', mode?: 'live' | 'sandbox') => ({
      status: 'done' as const,
      record: { status, ...(mode ? { mode } : {}) },
    });
    expect(actionMetricStatus(record('succeeded', 'live'))).toBe('succeeded');
    expect(actionMetricStatus(record('succeeded', 'sandbox'))).toBe('sandboxed');
    expect(actionMetricStatus(record('failed'))).toBe('failed');
    expect(actionMetricStatus(record('held'))).toBe('held');
    expect(actionMetricStatus(record('unknown'))).toBe('unknown');
    expect(actionMetricStatus({ status: 'skipped' })).toBe('duplicate');
    expect(actionMetricStatus({ status: 'retry', reason: 'busy' })).toBe('retrying');
    expect(actionMetricStatus({ status: 'dead', reason: 'gone' })).toBe('dead');
  });

  it('counts a spike when its opening is on the audit record, and no other audit line', async () => {
    const metrics = recorder();
    const recorded: string[] = [];
    const audit = countingAudit(
      {
        record: async (entry) => {
          recorded.push(entry.what);
        },
        list: async () => [],
      },
      metrics,
    );
    await audit.record({ id: 'spike:i1:opened', at: '2026-11-22T10:00:00.000Z', kind: 'spike', what: 'spike.opened' });
    await audit.record({ id: 'crisis:1', at: '2026-11-22T10:00:00.000Z', kind: 'crisis', what: 'crisis.on' });
    expect(recorded).toEqual(['spike.opened', 'crisis.on']);
    expect(metrics.seen).toEqual([{ name: 'SpikesOpened', dimensions: {}, value: 1, unit: 'count' }]);
  });
});

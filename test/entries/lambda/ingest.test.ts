import { createHmac } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startAwsJsonServer } from '../../aws/loopback-aws.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';

const SECRET = 'ingest-entry-secret';
const context = {
  functionName: 'prod-foghorn-ingest',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:prod-foghorn-ingest',
  memoryLimitInMB: '512',
  awsRequestId: 'req-1',
  logGroupName: '/aws/lambda/prod-foghorn-ingest',
  logStreamName: 's',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

/** A signed delivery to the generic platform's own route, as API Gateway's HTTP API (payload 2.0) hands it to ingest: no path parameters. */
function delivery(id: string) {
  const body = JSON.stringify({ id, kind: 'message', text: 'hello', author: { id: '42', name: 'Sara' }, channel: { id: 'web' } });
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/generic',
    rawPath: '/webhooks/generic',
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      'x-foghorn-signature': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    },
    requestContext: {
      http: { method: 'POST', path: '/webhooks/generic', protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'test' },
      requestId: `r-${id}`,
      routeKey: 'POST /webhooks/generic',
      stage: '$default',
      timeEpoch: Date.now(),
    },
    body,
    isBase64Encoded: false,
  };
}

describe('the ingest Lambda entry', () => {
  const dynamo = useEmbeddedDynamo();
  let bus: Awaited<ReturnType<typeof startAwsJsonServer>>;

  beforeAll(async () => {
    bus = await startAwsJsonServer(() => ({ FailedEntryCount: 0, Entries: [{ EventId: 'eb-1' }] }));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await bus?.close();
  });

  it('publishes every webhook of a container through one EventBridge client, over one kept-alive connection', async () => {
    // Prepare: the environment the stack sets, with the AWS endpoints on loopback.
    for (const [name, value] of Object.entries({
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDLOOPBACK',
      AWS_SECRET_ACCESS_KEY: 'loopback',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.current.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: bus.endpoint,
      TABLE_NAME: dynamo.current.tableName,
      BUS_NAME: 'prod-foghorn',
      FOGHORN_GENERIC_SECRET: SECRET,
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    }))
      vi.stubEnv(name, value);
    const { handler } = await import('../../../functions/entries/lambda/ingest.js');

    // Act: three deliveries to the same container.
    const statuses: number[] = [];
    for (const id of ['once-1', 'once-2', 'once-3']) {
      const result = (await handler(delivery(id) as never, context)) as { statusCode: number };
      statuses.push(result.statusCode);
    }

    // Assess: each was published, and no delivery paid for a new client's connection.
    expect(statuses).toHaveLength(3);
    for (const status of statuses) expect(status >= 200 && status < 300, `status ${status}`).toBe(true);
    expect(bus.calls.filter((call) => call.target === 'AWSEvents.PutEvents')).toHaveLength(3);
    expect(bus.connections()).toBe(1);
  }, 60_000);
});

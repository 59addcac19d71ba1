import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createIngestHandler, toInboundRequest } from '../../functions/app/ingest-handler.js';
import type { CanonicalEvent } from '../../functions/core/event.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { signGeneric } from '../../functions/platforms/generic/verify.js';
import { connectorFor, connectors } from '../../functions/platforms/index.js';
import { DynamoEventStore } from '../../functions/storage/dynamo/event-store.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';

function apiEvent(body: string, headers: Record<string, string>, base64 = false): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/{platform}',
    rawPath: '/webhooks/generic',
    rawQueryString: '',
    headers,
    pathParameters: { platform: 'generic' },
    body: base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: base64,
    requestContext: { http: { method: 'POST' } } as APIGatewayProxyEventV2['requestContext'],
  };
}

describe('ingest Lambda handler', () => {
  const dynamo = useEmbeddedDynamo();

  it('reads API Gateway v2 events (lower-cased headers, base64 bodies) and answers JSON', async () => {
    const published: CanonicalEvent[] = [];
    const handler = createIngestHandler(() => ({
      connectorFor,
      knownPlatforms: () => Object.keys(connectors),
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: 's3cret' }),
      store: new DynamoEventStore({ client: dynamo.current.client, tableName: dynamo.current.tableName }),
      publisher: {
        publish: async (events) => {
          published.push(...events);
        },
      },
      clock: { now: () => new Date('2026-11-22T12:00:00Z') },
      maxBodyBytes: 262_144,
    }));
    const body = JSON.stringify({ id: 'lambda-1', kind: 'comment', text: 'سلام', author: { id: '9' }, channel: { id: 'c' } });
    const result = (await handler(
      apiEvent(body, { 'X-Foghorn-Signature': signGeneric('s3cret', body) }, true),
    )) as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('application/json');
    expect(JSON.parse(result.body ?? '')).toEqual({ ok: true, events: ['generic:lambda-1'], duplicates: 0 });
    expect(published[0]).toMatchObject({ id: 'generic:lambda-1', text: 'سلام', receivedAt: '2026-11-22T12:00:00.000Z' });
  });

  it('keeps the exact bytes of a UTF-8 body for signature checks', () => {
    const body = '{"text":"שלום 👋"}';
    const request = toInboundRequest(apiEvent(body, {}), new Date());
    expect(request.rawBody.equals(Buffer.from(body, 'utf8'))).toBe(true);
  });

  it('reads the platform from the route when each platform has a route of its own (AWS), and from the path parameter otherwise', () => {
    const { pathParameters: _, ...literal } = apiEvent('{}', {});
    const own = toInboundRequest({ ...literal, routeKey: 'POST /webhooks/slack', rawPath: '/webhooks/slack' }, new Date());
    expect(own.platform).toBe('slack');
    expect(toInboundRequest({ ...literal, routeKey: 'GET /webhooks/telegram' }, new Date()).platform).toBe('telegram');
    expect(toInboundRequest(apiEvent('{}', {}), new Date()).platform).toBe('generic');
    // No route of a platform's shape: no platform, which ingest refuses as unknown.
    expect(toInboundRequest({ ...literal, routeKey: 'POST /api/crisis/on' }, new Date()).platform).toBe('');
  });
});

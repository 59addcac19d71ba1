import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestStage } from '../../functions/app/ingest-handler.js';
import { type LocalAdapters, localAdapters } from '../../functions/app/local-adapters.js';
import { topology } from '../../functions/app/topology.js';
import { type WatchedRuleSource, watchedRuleSource } from '../../functions/app/watched-rule-source.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { signGeneric } from '../../functions/platforms/generic/verify.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';

const SECRET = 'body-limit-secret';
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** A signed generic event of exactly `bytes` bytes: the JSON padded with trailing spaces, which JSON allows. */
function signedEventOf(bytes: number, id: string): APIGatewayProxyEventV2 {
  const json = JSON.stringify({ id, kind: 'message', text: 'hello', author: { id: 'u1' }, channel: { id: 'c1' } });
  const body = Buffer.from(json.padEnd(bytes, ' '));
  expect(body.length).toBe(bytes);
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/{platform}',
    rawPath: '/webhooks/generic',
    rawQueryString: '',
    headers: { 'x-foghorn-signature': signGeneric(SECRET, body) },
    pathParameters: { platform: 'generic' },
    body: body.toString('base64'),
    isBase64Encoded: true,
    requestContext: { http: { method: 'POST' } } as APIGatewayProxyEventV2['requestContext'],
  };
}

describe('the ingest stage at its body limit', () => {
  const dynamo = useEmbeddedDynamo();
  let rules: WatchedRuleSource;
  let adapters: LocalAdapters;
  beforeAll(async () => {
    rules = await watchedRuleSource('rules', quiet);
    adapters = await localAdapters({
      table: dynamo.current,
      rules,
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: SECRET }),
      logger: quiet,
      foghornBaseUrl: () => 'http://127.0.0.1:8787',
    });
  });
  afterAll(() => rules.close());

  it('is 256 KiB, the EventBridge entry limit the README promises', () => {
    expect(topology.maxBodyBytes).toBe(256 * 1024);
  });

  it('accepts a signed body of exactly the limit and refuses one byte more with 413', async () => {
    const ingest = ingestStage(adapters);
    const atLimit = (await ingest(signedEventOf(topology.maxBodyBytes, 'at-limit'))) as APIGatewayProxyStructuredResultV2;
    expect(atLimit.statusCode).toBe(200);
    expect(JSON.parse(atLimit.body ?? '')).toEqual({ ok: true, events: ['generic:at-limit'], duplicates: 0 });
    expect((await adapters.events.get('generic:at-limit'))?.event.text).toBe('hello');

    const over = (await ingest(signedEventOf(topology.maxBodyBytes + 1, 'over-limit'))) as APIGatewayProxyStructuredResultV2;
    expect(over.statusCode).toBe(413);
    expect(JSON.parse(over.body ?? '')).toEqual({
      error: `body is ${topology.maxBodyBytes + 1} bytes; the limit is 256 KB (${topology.maxBodyBytes} bytes)`,
      detail: { limitBytes: topology.maxBodyBytes, actualBytes: topology.maxBodyBytes + 1 },
    });
    expect(await adapters.events.get('generic:over-limit')).toBeUndefined();
  });
});

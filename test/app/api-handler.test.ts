import { compileErrors, validate } from '@readme/openapi-parser';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { awsApiRoutes, createApiHandler } from '../../functions/app/api-handler.js';
import { foghornApiRoutes } from '../../functions/app/api-routes.js';
import { topology } from '../../functions/app/topology.js';
import type { ActionCommand } from '../../functions/core/action-command.js';
import { LiveSender, SandboxSender } from '../../functions/core/outbound/index.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { CrisisKit } from '../../functions/crisis/crisis-kit.js';
import { dynamoCrisisStores } from '../../functions/storage/dynamo/crisis-stores.js';
import { DynamoEventStore } from '../../functions/storage/dynamo/event-store.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';
import { makeEvent } from '../support/events.js';

const now = new Date('2026-11-22T10:00:00.000Z');
const PRINCIPAL = 'arn:aws:iam::123456789012:role/social-leads';

/** An API Gateway HTTP API (payload 2.0) request as it reaches the Lambda after IAM authorisation. */
function request(
  routeKey: string,
  options: { path?: Record<string, string>; query?: string; body?: unknown; base64?: boolean; iam?: boolean } = {},
): APIGatewayProxyEventV2 {
  const raw = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  return {
    version: '2.0',
    routeKey,
    rawPath: routeKey.split(' ')[1]!,
    rawQueryString: options.query ?? '',
    headers: {},
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'x',
      domainPrefix: 'x',
      requestId: 'r',
      routeKey,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      http: {
        method: routeKey.split(' ')[0]!,
        path: routeKey.split(' ')[1]!,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.1',
        userAgent: 'awscurl',
      },
      ...(options.iam === false
        ? {}
        : { authorizer: { iam: { accessKey: 'AKID', accountId: '123456789012', callerId: 'AROA', userArn: PRINCIPAL, userId: 'AROA' } } }),
    },
    ...(options.path ? { pathParameters: options.path } : {}),
    ...(raw === undefined ? {} : { body: options.base64 ? Buffer.from(raw).toString('base64') : raw }),
    isBase64Encoded: options.base64 === true,
  } as APIGatewayProxyEventV2;
}

describe('the api Lambda handler (dynalite for the table)', () => {
  const dynamo = useEmbeddedDynamo();

  function setup() {
    const table = { client: dynamo.current.client, tableName: dynamo.current.tableName };
    const stores = dynamoCrisisStores(table);
    const events = new DynamoEventStore(table);
    const dispatched: ActionCommand[] = [];
    const kit = new CrisisKit({
      stores,
      config: () => ({ targets: {} }),
      settings: settingsFrom({}),
      clock: { now: () => now },
      forceSandbox: true,
      live: new LiveSender(),
      sandbox: new SandboxSender(),
      foghornBaseUrl: () => 'https://foghorn.example',
      dispatch: async (commands) => {
        dispatched.push(...commands);
      },
      emit: async () => {},
    });
    const failures: string[] = [];
    const handler = createApiHandler({ routes: foghornApiRoutes(kit, events), onError: (_error, routeKey) => failures.push(routeKey) });
    const call = async (event: APIGatewayProxyEventV2) => {
      const result = await handler(event);
      return { status: result.statusCode, body: JSON.parse(String(result.body)) as Record<string, any>, headers: result.headers };
    };
    return { stores, events, dispatched, failures, call };
  }

  it('switches crisis mode, recording the person named and the IAM principal API Gateway verified', async () => {
    const { call, stores } = setup();
    const on = await call(request('POST /api/crisis/on', { body: { who: 'maya', why: 'login outage' } }));
    expect(on).toMatchObject({
      status: 200,
      body: { changed: true, crisis: { on: true, by: `maya (${PRINCIPAL})`, why: 'login outage' } },
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect((await call(request('GET /api/crisis'))).body).toMatchObject({ crisis: { on: true } });
    const audit = await call(request('GET /api/audit', { query: 'limit=5' }));
    expect(audit.body.audit).toEqual([expect.objectContaining({ what: 'crisis.on', who: `maya (${PRINCIPAL})` })]);
    expect(await stores.crisis.get()).toMatchObject({ on: true });
  });

  it('reads limit with the same grammar as the local listings, naming it in the 400', async () => {
    const { call } = setup();
    for (const routeKey of ['GET /api/audit', 'GET /api/approvals']) {
      for (const bad of ['abc', '0', '-5']) {
        expect(await call(request(routeKey, { query: `limit=${bad}` }))).toMatchObject({
          status: 400,
          body: { error: `limit must be a whole number from 1 to 10,000, got '${bad}'`, detail: { parameter: 'limit', got: bad } },
        });
      }
      expect((await call(request(routeKey, { query: 'limit=20000' }))).status).toBe(200);
    }
  });

  it('lists approvals and approves one (base64 body) exactly once; a late reject gets 409', async () => {
    const { call, stores, dispatched } = setup();
    const held: ActionCommand = {
      id: 'act_held',
      eventId: 'x:1',
      ruleId: 'faq',
      index: 0,
      type: 'reply',
      params: { text: 'hi' },
      event: makeEvent({ id: 'x:1' }),
      createdAt: now.toISOString(),
    };
    await stores.approvals.putIfAbsent({
      id: held.id,
      status: 'pending',
      reason: 'crisis mode',
      heldBy: 'crisis',
      command: held,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
    });
    expect((await call(request('GET /api/approvals', { query: 'status=pending' }))).body.approvals).toEqual([
      expect.objectContaining({ id: 'act_held' }),
    ]);
    const approved = await call(
      request('POST /api/approvals/{id}/approve', { path: { id: 'act_held' }, body: { who: 'li', note: 'fine' }, base64: true }),
    );
    expect(approved).toMatchObject({ status: 200, body: { approval: { status: 'approved', decidedBy: `li (${PRINCIPAL})` } } });
    await call(request('POST /api/approvals/{id}/approve', { path: { id: 'act_held' }, body: { who: 'li' } }));
    expect(dispatched.map((command) => command.id)).toEqual(['act_held~approved']);
    expect(
      (await call(request('POST /api/approvals/{id}/reject', { path: { id: 'act_held' }, body: { who: 'sam', reason: 'late' } }))).status,
    ).toBe(409);
  });

  it('serves the event behind a digest link, and 404 for one it does not know', async () => {
    const { call, events } = setup();
    await events.putIfAbsent(makeEvent({ id: 'x:42', text: 'the app is down' }));
    expect(await call(request('GET /api/events/{id}', { path: { id: 'x:42' } }))).toMatchObject({
      status: 200,
      body: { event: { id: 'x:42', text: 'the app is down' } },
    });
    expect(await call(request('GET /api/events/{id}', { path: { id: 'x:43' } }))).toMatchObject({
      status: 404,
      body: { error: "no event 'x:43'" },
    });
  });

  it('serves events and approvals without the Discord interaction token, which stays in the stores', async () => {
    // Prepare
    const { call, events, stores } = setup();
    const token = 'aW50ZXJhY3Rpb246MTE4MDIzNDU2Nzg5MDEyMzQ1Njp0ZXN0dG9rZW4';
    const event = makeEvent({
      id: 'discord:7',
      platform: 'discord',
      meta: { interactionToken: token, applicationId: '11', command: 'ask' },
    });
    await events.putIfAbsent(event);
    await stores.approvals.putIfAbsent({
      id: 'act_token',
      status: 'pending',
      reason: 'crisis mode',
      heldBy: 'crisis',
      command: {
        id: 'act_token',
        eventId: event.id,
        ruleId: 'faq',
        index: 0,
        type: 'reply',
        params: { text: 'hi' },
        event,
        createdAt: now.toISOString(),
      },
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
    });

    // Act
    const one = await call(request('GET /api/events/{id}', { path: { id: 'discord:7' } }));
    const listed = await call(request('GET /api/approvals', { query: 'status=pending' }));
    const approved = await call(request('POST /api/approvals/{id}/approve', { path: { id: 'act_token' }, body: { who: 'li' } }));

    // Assess
    for (const answer of [one, listed, approved]) expect(JSON.stringify(answer.body)).not.toContain(token);
    expect(one.body.event.meta).toEqual({ interactionToken: '[REDACTED:rZW4]', applicationId: '11', command: 'ask' });
    expect(listed.body.approvals[0].command.event.meta.interactionToken).toBe('[REDACTED:rZW4]');
    expect((await events.get('discord:7'))?.event.meta?.interactionToken).toBe(token);
    expect((await stores.approvals.get('act_token'))?.command?.event.meta?.interactionToken).toBe(token);
  });

  it('answers bad input with 400 saying what is wrong, an unknown route with 404, and a fault with a 500 naming no internals', async () => {
    const { call, failures } = setup();
    expect(await call(request('POST /api/crisis/on', { body: '{not json' }))).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/^the body is not JSON/) },
    });
    expect(await call(request('POST /api/crisis/off', { body: { who: 'maya' } }))).toMatchObject({
      status: 400,
      body: { error: "'why' is required: the reason, for the audit log" },
    });
    expect(await call(request('GET /api/approvals', { query: 'status=maybe' }))).toMatchObject({ status: 400 });
    expect(await call(request('DELETE /api/crisis'))).toMatchObject({ status: 404, body: { error: "no API route 'DELETE /api/crisis'" } });
    const broken = createApiHandler({
      routes: [
        {
          method: 'GET',
          path: '/api/boom',
          handle: async () => {
            throw new Error('table password is hunter2');
          },
        },
      ],
      onError: (_error, route) => failures.push(route),
    });
    const result = await broken(request('GET /api/boom'));
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('hunter2');
    expect(failures).toEqual(['GET /api/boom']);
  });

  it('hands the request headers to the route, names in lower case (an Idempotency-Key reaches POST /api/posts)', async () => {
    const seen: unknown[] = [];
    const handler = createApiHandler({
      routes: [
        {
          method: 'POST',
          path: '/api/posts',
          handle: async ({ headers }) => {
            seen.push(headers);
            return { status: 200, body: {} };
          },
        },
      ],
    });
    await handler({
      ...request('POST /api/posts', { body: {} }),
      headers: { 'Idempotency-Key': 'k-1', 'content-type': 'application/json' },
    });
    expect(seen).toEqual([{ 'idempotency-key': 'k-1', 'content-type': 'application/json' }]);
  });

  it('has a handler for exactly the api routes functions/app/topology.ts puts on the HTTP API', () => {
    const { events } = setup();
    const kit = {} as CrisisKit;
    const served = awsApiRoutes(kit, events)
      .map((route) => `${route.method} ${route.path}`)
      .sort();
    expect(
      topology.http
        .filter((route) => route.function === 'api')
        .map((route) => `${route.method} ${route.path}`)
        .sort(),
    ).toEqual(served);
  });
});

describe('GET /api/openapi.json on AWS (the api function)', () => {
  it('answers a valid OpenAPI 3.1 document of every route on the HTTP API, the IAM routes needing SigV4', async () => {
    const handler = createApiHandler({ routes: awsApiRoutes({} as CrisisKit, { get: async () => undefined }) });
    const answer = await handler(request('GET /api/openapi.json'));
    expect(answer.statusCode).toBe(200);
    const document = JSON.parse(String(answer.body)) as {
      openapi: string;
      servers: Array<{ url: string }>;
      paths: Record<string, Record<string, { security?: unknown }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(document.openapi).toBe('3.1.0');
    // The validator dereferences in place: hand it a copy.
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    for (const route of topology.http) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation?.security, `${route.method} ${route.path}`).toEqual('auth' in route ? [{ sigv4: [] }] : undefined);
    }
    // Only what API Gateway routes: none of the local runtime's own (sign-in, the quarantine listing).
    expect(Object.keys(document.paths).sort()).toEqual([...new Set(topology.http.map((route) => route.path))].sort());
    expect(Object.keys(document.components.securitySchemes)).toEqual(['sigv4']);
    expect(document.servers).toEqual([{ url: '/', description: expect.any(String) }]);
  });
});

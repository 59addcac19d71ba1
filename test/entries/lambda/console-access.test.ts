import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createApiHandler } from '../../../functions/app/api-handler.js';
import { foghornApiRoutes } from '../../../functions/app/api-routes.js';
import { consoleIdentityOf } from '../../../functions/app/assignments-of.js';
import { ruleLanguage } from '../../../functions/app/rule-language.js';
import { LiveSender, SandboxSender } from '../../../functions/core/outbound/index.js';
import { settingsFrom } from '../../../functions/core/settings.js';
import { CrisisKit } from '../../../functions/crisis/crisis-kit.js';
import {
  CONSOLE_API_PREFIX,
  type ConsoleAccessOptions,
  consoleUserOf,
  groupsOf,
  roleOfGroups,
  withConsoleAccess,
} from '../../../functions/entries/lambda/console-access.js';
import { readFoghornConfig } from '../../../functions/rules/config.js';
import { dynamoCrisisStores } from '../../../functions/storage/dynamo/crisis-stores.js';
import { DynamoEventStore } from '../../../functions/storage/dynamo/event-store.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';

const now = new Date('2026-11-22T10:00:00.000Z');
const PRINCIPAL = 'arn:aws:iam::123456789012:role/social-leads';

/**
 * An HTTP API (payload 2.0) request as it reaches the api function: on a console route after the JWT authorizer
 * verified a Cognito token (API Gateway flattens the groups list into one string), or on an IAM route.
 */
function request(
  routeKey: string,
  options: {
    groups?: string;
    username?: string;
    email?: string;
    iam?: boolean;
    body?: unknown;
    contentType?: string | null;
    path?: Record<string, string>;
    base64?: boolean;
  } = {},
): APIGatewayProxyEventV2 {
  const [method, template] = routeKey.split(' ') as [string, string];
  const rawPath = Object.entries(options.path ?? {}).reduce((path, [name, value]) => path.replace(`{${name}}`, value), template);
  const raw = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const authorizer = options.iam
    ? { iam: { accessKey: 'AKID', accountId: '123456789012', callerId: 'AROA', userArn: PRINCIPAL, userId: 'AROA' } }
    : options.groups === undefined && options.username === undefined
      ? undefined
      : {
          jwt: {
            claims: {
              sub: '0f7c-4b1e',
              client_id: 'console-client',
              token_use: 'access',
              ...(options.username === undefined ? {} : { username: options.username }),
              ...(options.email === undefined ? {} : { email: options.email }),
              ...(options.groups === undefined ? {} : { 'cognito:groups': options.groups }),
            },
            scopes: ['openid', 'email'],
          },
        };
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: options.contentType === null ? {} : { 'content-type': options.contentType ?? 'application/json' },
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
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'console' },
      ...(authorizer ? { authorizer } : {}),
    },
    ...(options.path ? { pathParameters: options.path } : {}),
    ...(raw === undefined ? {} : { body: options.base64 ? Buffer.from(raw).toString('base64') : raw }),
    isBase64Encoded: options.base64 === true,
  } as APIGatewayProxyEventV2;
}

describe('the console routes of the api function (Cognito JWT claims, dynalite for the table)', () => {
  const dynamo = useEmbeddedDynamo();

  function setup(options: ConsoleAccessOptions = {}) {
    const table = { client: dynamo.current.client, tableName: dynamo.current.tableName };
    const stores = dynamoCrisisStores(table);
    const kit = new CrisisKit({
      stores,
      config: () => ({ targets: {} }),
      settings: settingsFrom({}),
      clock: { now: () => now },
      forceSandbox: true,
      live: new LiveSender(),
      sandbox: new SandboxSender(),
      foghornBaseUrl: () => 'https://foghorn.example',
      dispatch: async () => {},
      emit: async () => {},
    });
    const handler = withConsoleAccess(createApiHandler({ routes: foghornApiRoutes(kit, new DynamoEventStore(table)) }), options);
    const call = async (event: APIGatewayProxyEventV2) => {
      const result = await handler(event);
      return { status: result.statusCode, body: JSON.parse(String(result.body)) as Record<string, any> };
    };
    return { stores, call };
  }

  it('lets a lead switch crisis mode, audited as user:<cognito user name> whatever the body names', async () => {
    // Prepare
    const { call, stores } = setup();

    // Act
    const on = await call(
      request(`POST ${CONSOLE_API_PREFIX}/api/crisis/on`, {
        username: 'maya',
        groups: '[agent lead]',
        body: { who: 'someone else', why: 'outage' },
      }),
    );
    const audit = await call(request(`GET ${CONSOLE_API_PREFIX}/api/audit`, { username: 'sam', groups: '[viewer]', contentType: null }));

    // Assess
    expect(on).toMatchObject({ status: 200, body: { crisis: { on: true, by: 'user:maya', why: 'outage' } } });
    expect(await stores.crisis.get()).toMatchObject({ on: true, by: 'user:maya' });
    expect(audit.status).toBe(200);
    expect(audit.body.audit).toEqual(expect.arrayContaining([expect.objectContaining({ what: 'crisis.on', who: 'user:maya' })]));
  });

  it('refuses an agent the crisis switch with 403 naming the role, and changes nothing', async () => {
    const { call, stores } = setup();
    const before = await stores.crisis.get();
    const refused = await call(
      request(`POST ${CONSOLE_API_PREFIX}/api/crisis/off`, { username: 'li', groups: '[agent]', body: { who: 'li', why: 'over' } }),
    );
    expect(refused).toEqual({
      status: 403,
      body: { error: 'this needs the lead role; li is agent', detail: { needed: 'lead', role: 'agent' } },
    });
    expect(await stores.crisis.get()).toEqual(before);
  });

  it('lets a viewer read but not decide an approval (403), and an agent decide it, audited with the user', async () => {
    // Prepare
    const { call, stores } = setup();
    await stores.approvals.putIfAbsent({
      id: 'act_held',
      status: 'pending',
      reason: 'crisis mode',
      heldBy: 'crisis',
      command: {
        id: 'act_held',
        eventId: 'x:1',
        ruleId: 'faq',
        index: 0,
        type: 'reply',
        params: { text: 'hi' },
        event: { id: 'x:1' } as never,
        createdAt: now.toISOString(),
      },
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
    });
    const reject = (groups: string, username: string, base64 = false) =>
      request(`POST ${CONSOLE_API_PREFIX}/api/approvals/{id}/reject`, {
        username,
        groups,
        path: { id: 'act_held' },
        body: { who: 'nobody', reason: 'off-brand' },
        base64,
      });

    // Act
    const listed = await call(
      request(`GET ${CONSOLE_API_PREFIX}/api/approvals`, { username: 'sam', groups: '[viewer]', contentType: null }),
    );
    const byViewer = await call(reject('[viewer]', 'sam'));
    const byAgent = await call(reject('[agent]', 'li', true));

    // Assess
    expect(listed.body.approvals).toEqual([expect.objectContaining({ id: 'act_held', status: 'pending' })]);
    expect(byViewer).toMatchObject({ status: 403, body: { detail: { needed: 'agent', role: 'viewer' } } });
    expect(byAgent).toMatchObject({ status: 200, body: { approval: { status: 'rejected', decidedBy: 'user:li' } } });
  });

  it('answers GET /api/me from the token: the user name and the highest role of the groups', async () => {
    const { call } = setup();
    expect(
      await call(request(`GET ${CONSOLE_API_PREFIX}/api/me`, { username: 'maya', groups: '[viewer admin agent]', contentType: null })),
    ).toEqual({
      status: 200,
      body: { name: 'maya', user: 'maya', role: 'admin', teams: [] },
    });
  });

  it('answers GET /api/me as the local runtime does: the person the user is in people:, by user name or email, and their teams', async () => {
    // Prepare: the team config as the api function reads it (a foghorn.config.yaml, through the TeamConfigSource port).
    const path = join(mkdtempSync(join(tmpdir(), 'foghorn-me-')), 'foghorn.config.yaml');
    writeFileSync(
      path,
      [
        'timezone: UTC',
        'people:',
        '  sara: { name: Sara Ahmadi, user: sara }',
        '  reza: { name: Reza Karimi, user: reza@example.com }',
        '  mina: { name: Mina Rad }',
        'teams:',
        '  persian-desk: { members: [sara, reza, mina], lead: sara }',
        '  press: { members: [reza] }',
        '',
      ].join('\n'),
    );
    const config = readFoghornConfig(path, { extensions: ruleLanguage });
    const errors: unknown[] = [];
    const { call } = setup({
      identity: consoleIdentityOf({
        teamConfig: { load: async () => {}, current: () => config },
        logger: { info() {}, warn() {}, error: (message) => void errors.push(message) },
      }),
    });
    const me = (username: string, email?: string) =>
      call(request(`GET ${CONSOLE_API_PREFIX}/api/me`, { username, groups: '[agent]', contentType: null, ...(email ? { email } : {}) }));

    // Act, Assess: by console user name, by email (a pool whose users sign in by email), by key, and nobody.
    expect(await me('sara')).toEqual({
      status: 200,
      body: { name: 'sara', user: 'sara', role: 'agent', person: 'sara', teams: ['persian-desk'] },
    });
    expect(await me('0f7c-reza', 'reza@example.com')).toEqual({
      status: 200,
      body: { name: '0f7c-reza', user: '0f7c-reza', role: 'agent', person: 'reza', teams: ['persian-desk', 'press'] },
    });
    expect((await me('mina')).body).toMatchObject({ person: 'mina', teams: ['persian-desk'] });
    expect(await me('kim', 'kim@example.com')).toEqual({ status: 200, body: { name: 'kim', user: 'kim', role: 'agent', teams: [] } });
    expect(errors).toEqual([]);
  });

  it('answers GET /api/me without a person when the team config does not read, and logs why', async () => {
    const errors: string[] = [];
    const { call } = setup({
      identity: consoleIdentityOf({
        teamConfig: {
          load: async () => {
            throw new Error('FOGHORN_CONFIG names no file');
          },
          current: () => {
            throw new Error('not loaded');
          },
        },
        logger: { info() {}, warn() {}, error: (message) => void errors.push(message) },
      }),
    });
    expect(await call(request(`GET ${CONSOLE_API_PREFIX}/api/me`, { username: 'sara', groups: '[viewer]', contentType: null }))).toEqual({
      status: 200,
      body: { name: 'sara', user: 'sara', role: 'viewer', teams: [] },
    });
    expect(errors).toEqual([expect.stringContaining('the team config did not read')]);
  });

  it('refuses a user in no role group (403), a request without verified claims (401), and a change not sent as JSON (415)', async () => {
    const { call, stores } = setup();
    const before = await stores.crisis.get();
    expect(await call(request(`GET ${CONSOLE_API_PREFIX}/api/crisis`, { username: 'kim', groups: '[marketing]' }))).toMatchObject({
      status: 403,
      body: { error: expect.stringContaining('kim is in none of the groups viewer, agent, lead, admin') },
    });
    expect((await call(request(`GET ${CONSOLE_API_PREFIX}/api/crisis`))).status).toBe(401);
    const plain = await call(
      request(`POST ${CONSOLE_API_PREFIX}/api/crisis/on`, {
        username: 'maya',
        groups: '[admin]',
        body: { who: 'x', why: 'y' },
        contentType: 'text/plain',
      }),
    );
    expect(plain).toMatchObject({ status: 415, body: { detail: { contentType: 'text/plain', expected: 'application/json' } } });
    expect(await stores.crisis.get()).toEqual(before);
  });

  it('passes the IAM routes through untouched: the body names who, beside the principal', async () => {
    const { call } = setup();
    await call(request('POST /api/crisis/off', { iam: true, body: { who: 'ops-script', why: 'reset' } }));
    const on = await call(request('POST /api/crisis/on', { iam: true, body: { who: 'ops-script', why: 'drill' } }));
    expect(on).toMatchObject({ status: 200, body: { changed: true, crisis: { by: `ops-script (${PRINCIPAL})` } } });
  });
});

describe('reading Cognito groups', () => {
  it('reads the flattened string API Gateway passes, a list, and nothing', () => {
    expect(groupsOf('[agent lead]')).toEqual(['agent', 'lead']);
    expect(groupsOf('[viewer]')).toEqual(['viewer']);
    expect(groupsOf(['lead', 'viewer'])).toEqual(['lead', 'viewer']);
    expect(groupsOf(undefined)).toEqual([]);
    expect(groupsOf('[]')).toEqual([]);
  });

  it('takes the highest role, ignoring groups that are none', () => {
    expect(roleOfGroups(['viewer', 'lead', 'agent'])).toBe('lead');
    expect(roleOfGroups(['marketing', 'viewer'])).toBe('viewer');
    expect(roleOfGroups(['marketing'])).toBeUndefined();
  });

  it('names the user by the ID token or the access token, falling back to sub', () => {
    expect(consoleUserOf({ 'cognito:username': 'maya', 'cognito:groups': '[lead]' })).toEqual({ name: 'maya', role: 'lead' });
    expect(consoleUserOf({ username: 'li', 'cognito:groups': '[agent]' })).toEqual({ name: 'li', role: 'agent' });
    expect(consoleUserOf({ sub: 'abc', 'cognito:groups': '[viewer]' })).toEqual({ name: 'abc', role: 'viewer' });
    expect(consoleUserOf({ 'cognito:username': 'maya', email: 'maya@example.com', 'cognito:groups': '[lead]' })).toEqual({
      name: 'maya',
      role: 'lead',
      email: 'maya@example.com',
    });
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole, CONSOLE_CSP, CONSOLE_PAGES, type ConsoleFile } from '../../console/build.js';
import { consoleUserOf } from '../../functions/entries/lambda/console-access.js';
import { SCREENSHOTS } from './support/console-harness.js';

/**
 * The console as deployed on AWS, in a real Chromium: the built files and a config.json from a loopback server that
 * also plays the HTTP API's console routes (each checks the bearer token, and `GET /api/me` answers from its claims
 * with the api function's own consoleUserOf), and a second origin playing Cognito's hosted UI: `/oauth2/authorize`
 * redirects back with a code, `/oauth2/token` redeems it only with the verifier whose S256 challenge was sent, and
 * refreshes; `/logout` returns to the logout URI. The console signs in, reads the Feed by polling, signs out.
 */
const CHROMIUM = process.env.FOGHORN_CHROMIUM ?? '/usr/bin/chromium';
const CLIENT_ID = '1example23456789';

/** Cognito's token endpoint answer to an authorization-code grant: ID, access and refresh tokens (token-endpoint docs). */
interface AuthorizationCodeGrantResponse {
  access_token: string;
  id_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
}
/** …and to a refresh-token grant: new ID and access tokens, no new refresh token. */
type RefreshTokenGrantResponse = Omit<AuthorizationCodeGrantResponse, 'refresh_token'>;

const b64url = (bytes: Buffer) => bytes.toString('base64url');
/** A token shaped as Cognito's access token (header.payload.signature); the fake API checks it by value, not signature. */
function accessTokenFor(claims: Record<string, unknown>): string {
  const part = (value: unknown) => b64url(Buffer.from(JSON.stringify(value)));
  return `${part({ kid: 'test', alg: 'RS256' })}.${part(claims)}.${b64url(randomBytes(32))}`;
}
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

interface Fake {
  consoleUrl: string;
  cognitoUrl: string;
  /** What each side saw, for the assertions. */
  grants: string[];
  apiCalls: Array<{ path: string; authorized: boolean }>;
  logouts: URLSearchParams[];
  events: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function startFake(files: Map<string, ConsoleFile>): Promise<Fake> {
  const cognito = createServer();
  const site = createServer();
  const cognitoUrl = await listen(cognito);
  const consoleUrl = await listen(site);
  const redirectUri = `${consoleUrl}/login`;
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  const refreshTokens = new Set<string>();
  const valid = new Set<string>();
  const fake: Fake = { consoleUrl, cognitoUrl, grants: [], apiCalls: [], logouts: [], events: [], close: async () => {} };
  const issue = (): string => {
    const token = accessTokenFor({
      sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      'cognito:groups': ['agent'],
      token_use: 'access',
      scope: 'openid email',
      client_id: CLIENT_ID,
      username: 'maya',
      jti: b64url(randomBytes(8)),
    });
    valid.add(token);
    return token;
  };

  cognito.on('request', async (req, res) => {
    const url = new URL(req.url ?? '/', cognitoUrl);
    if (req.method === 'GET' && url.pathname === '/oauth2/authorize') {
      const q = url.searchParams;
      if (
        q.get('response_type') !== 'code' ||
        q.get('client_id') !== CLIENT_ID ||
        q.get('redirect_uri') !== redirectUri ||
        q.get('code_challenge_method') !== 'S256' ||
        !q.get('code_challenge') ||
        !q.get('state') ||
        q.get('scope') !== 'openid email'
      )
        return json(res, 400, { error: 'invalid_request' });
      const code = randomBytes(12).toString('hex');
      codes.set(code, { challenge: q.get('code_challenge') ?? '', redirectUri });
      res.writeHead(302, { location: `${redirectUri}?code=${code}&state=${encodeURIComponent(q.get('state') ?? '')}` });
      return res.end();
    }
    if (req.method === 'POST' && url.pathname === '/oauth2/token') {
      // Cognito's token endpoint answers any origin, so a page can redeem its code (Access-Control-Allow-Origin: *).
      const cors = { 'access-control-allow-origin': '*' };
      if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded'))
        return json(res, 400, { error: 'invalid_request' }, cors);
      const form = new URLSearchParams(await bodyOf(req));
      fake.grants.push(form.get('grant_type') ?? '');
      if (form.get('client_id') !== CLIENT_ID) return json(res, 400, { error: 'invalid_client' }, cors);
      if (form.get('grant_type') === 'authorization_code') {
        const pending = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const challenge = b64url(createHash('sha256').update(verifier).digest());
        if (!pending || pending.redirectUri !== form.get('redirect_uri') || pending.challenge !== challenge)
          return json(res, 400, { error: 'invalid_grant' }, cors);
        const refresh = b64url(randomBytes(32));
        refreshTokens.add(refresh);
        // Expires within the console's refresh margin, so its first API call refreshes it.
        const answer: AuthorizationCodeGrantResponse = {
          access_token: issue(),
          id_token: accessTokenFor({ 'cognito:username': 'maya', aud: CLIENT_ID, token_use: 'id' }),
          refresh_token: refresh,
          token_type: 'Bearer',
          expires_in: 30,
        };
        return json(res, 200, answer, cors);
      }
      if (form.get('grant_type') === 'refresh_token') {
        if (!refreshTokens.has(form.get('refresh_token') ?? '')) return json(res, 400, { error: 'invalid_grant' }, cors);
        const answer: RefreshTokenGrantResponse = {
          access_token: issue(),
          id_token: accessTokenFor({ 'cognito:username': 'maya', aud: CLIENT_ID, token_use: 'id' }),
          token_type: 'Bearer',
          expires_in: 3600,
        };
        return json(res, 200, answer, cors);
      }
      return json(res, 400, { error: 'unsupported_grant_type' }, cors);
    }
    if (req.method === 'GET' && url.pathname === '/logout') {
      fake.logouts.push(url.searchParams);
      if (url.searchParams.get('client_id') !== CLIENT_ID || url.searchParams.get('logout_uri') !== redirectUri)
        return json(res, 400, { error: 'invalid_request' });
      res.writeHead(302, { location: redirectUri });
      return res.end();
    }
    json(res, 404, { error: 'not found' });
  });

  const csp = CONSOLE_CSP.replace("connect-src 'self'", `connect-src 'self' ${cognitoUrl}`);
  site.on('request', async (req, res) => {
    const url = new URL(req.url ?? '/', consoleUrl);
    if (url.pathname === '/config.json') {
      return json(res, 200, {
        runtime: 'aws',
        api: '/api',
        live: 'poll',
        signIn: {
          kind: 'cognito',
          region: 'eu-west-1',
          userPoolId: 'eu-west-1_EXAMPLE1',
          clientId: CLIENT_ID,
          domain: cognitoUrl,
          redirectUri,
          logoutUri: redirectUri,
          scopes: ['openid', 'email'],
        },
      });
    }
    if (url.pathname.startsWith('/api/')) {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const authorized = token !== undefined && valid.has(token);
      fake.apiCalls.push({ path: `${url.pathname}${url.search}`, authorized });
      // API Gateway's JWT authorizer: no valid token, no route.
      if (!authorized) return json(res, 401, { message: 'Unauthorized' });
      const user = consoleUserOf(claimsOf(token) as never);
      if (url.pathname === '/api/me') return json(res, 200, user);
      if (url.pathname === '/api/events') return json(res, 200, { events: url.searchParams.has('since') ? fake.events : [], next: null });
      if (url.pathname === '/api/actions') return json(res, 200, { actions: [], next: null });
      if (url.pathname === '/api/decisions') return json(res, 200, { decisions: {} });
      if (url.pathname === '/api/crisis') return json(res, 200, { crisis: { on: false } });
      // A route the HTTP API does not have.
      return json(res, 404, { message: 'Not Found' });
    }
    const name = url.pathname === '/' || CONSOLE_PAGES.test(url.pathname) ? 'index.html' : url.pathname.slice(1);
    const file = files.get(name);
    if (!file) return json(res, 404, { error: 'no such file' });
    res.writeHead(200, { 'content-type': file.type, 'content-security-policy': csp });
    res.end(file.body);
  });

  fake.close = async () => {
    await Promise.all([cognito, site].map((server) => new Promise((resolve) => server.close(resolve))));
  };
  return fake;
}

let fake: Fake;
let browser: Browser;
let page: Page;
const problems: string[] = [];
/** The page's storage, read in the browser (the test's own tsconfig has no DOM types). */
type PageStorage = { sessionStorage: { getItem(key: string): string | null }; localStorage: { length: number } };

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium, or set FOGHORN_CHROMIUM`);
  fake = await startFake(await buildConsole());
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'en-GB', timezoneId: 'UTC' });
  page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 40[14]/.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await fake?.close();
});

describe('the console on AWS (config.json, Cognito hosted UI, polling)', () => {
  it('sends a signed-out reader to the hosted UI, redeems the code with PKCE and shows the Feed from polling', async () => {
    await page.goto(`${fake.consoleUrl}/feed`);
    await page.waitForURL(/\/login\?next=%2Ffeed$/);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${fake.consoleUrl}/feed`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Feed');
    await expect.poll(() => page.locator('header .who').textContent()).toContain('maya');
    expect(fake.grants.slice(0, 2)).toEqual(['authorization_code', 'refresh_token']);

    fake.events.push({
      id: 'generic:aws-1',
      platform: 'generic',
      kind: 'message',
      text: 'Is the shop open on Sunday?',
      author: { id: 'sara', name: 'Sara' },
      channel: { id: 'web' },
      thread: {},
      createdAt: new Date().toISOString(),
      receivedAt: new Date().toISOString(),
    });
    await page.getByText('Is the shop open on Sunday?').waitFor({ timeout: 15_000 });

    const paths = fake.apiCalls.map((call) => call.path);
    expect(paths.some((path) => /^\/api\/events\?since=/.test(path))).toBe(true);
    expect(paths.some((path) => path.startsWith('/api/stream'))).toBe(false);
    // Every call carried a token the fake issued; none went out before sign-in.
    expect(fake.apiCalls.filter((call) => !call.authorized)).toEqual([]);
    const storage = await page.evaluate(() => {
      const { sessionStorage, localStorage } = globalThis as unknown as PageStorage;
      return { session: sessionStorage.getItem('foghorn.tokens'), local: localStorage.length };
    });
    expect(storage.local).toBe(0);
    expect(storage.session).toContain('"refresh"');
    await page.screenshot({ path: join(SCREENSHOTS, 'aws-feed.png'), fullPage: true });
  }, 60_000);

  it('says plainly what this deployment does not serve yet, instead of an error', async () => {
    await page.getByRole('link', { name: 'Rules' }).click();
    await page.getByText('not available on this deployment yet').waitFor();
    expect(await page.locator('[role=alert]').count()).toBe(0);
  }, 30_000);

  it('signs out through the hosted UI and forgets the tokens', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${fake.consoleUrl}/login`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(fake.logouts).toHaveLength(1);
    expect(await page.evaluate(() => (globalThis as unknown as PageStorage).sessionStorage.getItem('foghorn.tokens'))).toBeNull();
    const before = fake.apiCalls.length;
    await page.goto(`${fake.consoleUrl}/approvals`);
    await page.waitForURL(/\/login\?next=%2Fapprovals$/);
    expect(fake.apiCalls.slice(before)).toEqual([]);
  }, 30_000);

  it('refuses a return whose state this tab did not send', async () => {
    const grants = fake.grants.length;
    await page.goto(`${fake.consoleUrl}/login?code=stolen&state=forged`);
    await page.getByText('its state does not match').waitFor();
    expect(fake.grants.length).toBe(grants);
    expect(problems).toEqual([]);
  }, 30_000);
});

import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../functions/auth/password.js';
import { settingsFrom } from '../../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../../functions/entries/local/runtime.js';
import { makeWorkspace, postGeneric, TEST_GENERIC_SECRET, waitFor } from '../../support/runtime-process.js';
import { rawRequest } from './raw-request.js';

/**
 * Sign-in and roles on the real local runtime: console users from foghorn.config.yaml, sessions by cookie, the
 * API token, and what each role may change. A held reply (a sensitive term) gives the approvals something to decide.
 */
const RULES = `
- id: refund-answer
  when: { all: [{ fact: text, operator: containsAny, value: ["money back"] }] }
  then: [{ reply: { text: "Your refund is on its way." } }]
`;
// The lowest cost the config accepts, so signing in three users stays quick.
const QUICK = { N: 2 ** 14, r: 8, p: 1 };
const PASSWORDS = { vera: 'vera-password', ali: 'ali-password', lena: 'lena-password' } as const;
const PUBLIC_HOST = 'foghorn.example.com';

interface Approval {
  id: string;
  status: string;
  decidedBy?: string;
}

describe('sign-in and roles on the local API', () => {
  let runtime: Runtime;
  let dataDir: string;
  let configPath: string;
  let userLines: Record<string, string>;
  const errors: string[] = [];
  let own: string;

  const post = (path: string, options: { cookie?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    rawRequest(runtime.url, 'POST', path, {
      headers: {
        host: own,
        'content-type': 'application/json',
        ...(options.cookie ? { cookie: options.cookie } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: JSON.stringify(options.body ?? {}),
    });
  const get = (path: string, headers: Record<string, string> = {}) =>
    rawRequest(runtime.url, 'GET', path, { headers: { host: own, ...headers } });
  const signIn = async (name: string, password: string, headers: Record<string, string> = {}) => {
    const answer = await post('/api/login', { body: { name, password }, headers });
    expect(answer.status, answer.text).toBe(200);
    return { answer, cookie: String(answer.headers['set-cookie']).split(';')[0]! };
  };
  const crisis = async () => (await get('/api/crisis')).json().crisis as { on: boolean; by?: string };
  const pending = async () => (await get('/api/approvals?status=all')).json().approvals as Approval[];
  const hold = async (id: string) => {
    expect(
      (
        await postGeneric(runtime.url, {
          id,
          kind: 'message',
          text: 'I want my money back',
          author: { id: `a-${id}`, name: 'Ada' },
          channel: { id: 'c1' },
          createdAt: new Date().toISOString(),
        })
      ).status,
    ).toBe(200);
    return waitFor(`the held reply to ${id}`, async () => {
      const approvals = (await get('/api/approvals')).json().approvals as Array<Approval & { command: { eventId: string } }>;
      return approvals.find((approval) => approval.command.eventId === `generic:${id}`);
    });
  };

  const writeConfig = (roles: Record<string, string>) =>
    writeFileSync(
      configPath,
      [
        'crisis:',
        '  sensitiveTerms: [refund]',
        'console:',
        '  users:',
        ...Object.entries(roles).map(([name, role]) => `    - { name: ${name}, role: ${role}, ${userLines[name]} }`),
        '',
      ].join('\n'),
    );

  beforeAll(async () => {
    const workspace = makeWorkspace({ 'refund.yaml': RULES });
    dataDir = workspace.dataDir;
    userLines = Object.fromEntries(
      await Promise.all(
        (Object.keys(PASSWORDS) as Array<keyof typeof PASSWORDS>).map(async (name) => [
          name,
          `password: "${await hashPassword(PASSWORDS[name], QUICK)}"`,
        ]),
      ),
    );
    configPath = join(dirname(workspace.rulesDir), 'foghorn.config.yaml');
    writeConfig({ vera: 'viewer', ali: 'agent', lena: 'lead' });
    runtime = await startRuntime({
      port: 0,
      dataDir,
      rulesDir: workspace.rulesDir,
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: TEST_GENERIC_SECRET, FOGHORN_PUBLIC_URL: `https://${PUBLIC_HOST}` }),
      logger: { info() {}, warn() {}, error: (message, detail) => void errors.push(`${message} ${JSON.stringify(detail)}`) },
    });
    own = `127.0.0.1:${runtime.port}`;
  }, 60_000);
  afterAll(async () => {
    await runtime?.stop();
    expect(errors).toEqual([]);
  });

  it('refuses a change without a session or token with 401, and changes nothing', async () => {
    const held = await hold('nocreds');

    const on = await post('/api/crisis/on', { body: { who: 'mallory', why: 'no credentials' } });
    const approve = await post(`/api/approvals/${held.id}/approve`, { body: { who: 'mallory' } });
    const redrive = await post('/api/dead-letters/actions/redrive');

    expect(on.status).toBe(401);
    expect(on.json().error).toMatch(/^sign in first: a change needs a session \(POST \/api\/login/);
    expect(approve.status).toBe(401);
    expect(redrive.status).toBe(401);
    expect(await crisis()).toMatchObject({ on: false });
    expect((await pending()).find((approval) => approval.id === held.id)?.status).toBe('pending');
  });

  it('signs in with a name and password: an HttpOnly, SameSite=Strict session cookie for the whole site', async () => {
    const { answer, cookie } = await signIn('lena', PASSWORDS.lena);

    expect(answer.json()).toEqual({ name: 'lena', role: 'lead' });
    expect(answer.headers['set-cookie']).toEqual([
      expect.stringMatching(/^foghorn_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/$/),
    ]);
    expect((await get('/api/me', { cookie })).json()).toEqual({ name: 'lena', user: 'lena', role: 'lead', teams: [] });
  });

  it('refuses a wrong password and an unknown name alike', async () => {
    const wrong = await post('/api/login', { body: { name: 'lena', password: 'lena-passwort' } });
    const unknown = await post('/api/login', { body: { name: 'nobody', password: 'lena-password' } });

    expect([wrong.status, wrong.json().error]).toEqual([401, 'wrong name or password']);
    expect([unknown.status, unknown.json().error]).toEqual([401, 'wrong name or password']);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect((await get('/api/me')).status).toBe(401);
  });

  it('a viewer reads, and is answered 403 naming the role needed for an approval or the crisis switch', async () => {
    const held = await hold('viewer');
    const { cookie } = await signIn('vera', PASSWORDS.vera);

    const approve = await post(`/api/approvals/${held.id}/approve`, { cookie, body: {} });
    const on = await post('/api/crisis/on', { cookie, body: { why: 'viewer tries' } });

    expect(approve.status).toBe(403);
    expect(approve.json()).toEqual({ error: 'this needs the agent role; vera is viewer', detail: { needed: 'agent', role: 'viewer' } });
    expect(on.status).toBe(403);
    expect(on.json().error).toBe('this needs the lead role; vera is viewer');
    expect((await get('/api/approvals', { cookie })).status).toBe(200);
    expect(await crisis()).toMatchObject({ on: false });
    expect((await pending()).find((approval) => approval.id === held.id)?.status).toBe('pending');
  });

  it('an agent approves, audited as user:<name> whatever the body claims, and may not switch crisis mode', async () => {
    const held = await hold('agent');
    const { cookie } = await signIn('ali', PASSWORDS.ali);

    const approve = await post(`/api/approvals/${held.id}/approve`, { cookie, body: { who: 'someone-else', note: 'fine' } });
    const on = await post('/api/crisis/on', { cookie, body: { why: 'agent tries' } });

    expect(approve.status, approve.text).toBe(200);
    expect(approve.json().approval).toMatchObject({ status: 'approved', decidedBy: 'user:ali' });
    expect(on.status).toBe(403);
    expect(on.json().detail).toEqual({ needed: 'lead', role: 'agent' });
    expect(await crisis()).toMatchObject({ on: false });
    const { audit } = (await get('/api/audit?limit=1000')).json() as { audit: Array<{ what: string; who?: string }> };
    expect(audit.filter((entry) => entry.what === 'approval.approved').map((entry) => entry.who)).toContain('user:ali');
  });

  it('a lead switches crisis mode on and off, audited with the user', async () => {
    const { cookie } = await signIn('lena', PASSWORDS.lena);

    const on = await post('/api/crisis/on', { cookie, body: { why: 'outage' } });
    expect(on.status, on.text).toBe(200);
    expect(on.json().crisis).toMatchObject({ on: true, by: 'user:lena', why: 'outage' });
    const off = await post('/api/crisis/off', { cookie, body: { why: 'fixed' } });

    expect(off.json().crisis).toMatchObject({ on: false, by: 'user:lena' });
    const { audit } = (await get('/api/audit?limit=1000')).json() as { audit: Array<{ what: string; who?: string; why?: string }> };
    expect(audit.filter((entry) => entry.what.startsWith('crisis.')).slice(0, 2)).toMatchObject([
      { what: 'crisis.off', who: 'user:lena', why: 'fixed' },
      { what: 'crisis.on', who: 'user:lena', why: 'outage' },
    ]);
  });

  it('refuses a cross-site POST (a foreign Origin, or text/plain) even with a lead session, and changes nothing', async () => {
    const { cookie } = await signIn('lena', PASSWORDS.lena);

    const foreign = await post('/api/crisis/on', { cookie, body: { why: 'csrf' }, headers: { origin: 'http://evil.example' } });
    const text = await post('/api/crisis/on', { cookie, body: { why: 'csrf' }, headers: { 'content-type': 'text/plain' } });

    expect(foreign.status).toBe(403);
    expect(text.status).toBe(415);
    expect(await crisis()).toMatchObject({ on: false });
  });

  it('logs out: the session ends, and a change with its cookie is 401', async () => {
    const { cookie } = await signIn('lena', PASSWORDS.lena);

    const out = await post('/api/logout', { cookie });

    expect(out.json()).toEqual({ signedOut: true });
    expect(out.headers['set-cookie']).toEqual([expect.stringContaining('foghorn_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0')]);
    expect((await get('/api/me', { cookie })).status).toBe(401);
    const after = await post('/api/crisis/on', { cookie, body: { why: 'after logout' } });
    expect(after.status).toBe(401);
    expect(after.json().error).toMatch(/^your session has ended/);
  });

  it('takes the API token it wrote to <data>/api-token (0600) as an admin, and refuses a wrong one', async () => {
    const file = join(dataDir, 'api-token');
    const token = readFileSync(file, 'utf8').trim();

    const on = await post('/api/crisis/on', { token, body: { who: 'maya', why: 'from the CLI' } });
    const off = await post('/api/crisis/off', { token, body: { why: 'nobody named' } });
    const wrong = await post('/api/crisis/on', { token: `${token}x`, body: { who: 'maya', why: 'wrong token' } });

    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(on.json().crisis).toMatchObject({ on: true, by: 'maya' });
    expect(off.json().crisis).toMatchObject({ on: false, by: 'token' });
    expect(wrong.status).toBe(401);
    expect((await get('/api/me', { authorization: `Bearer ${token}` })).json()).toEqual({
      name: 'token',
      user: 'token',
      role: 'admin',
      teams: [],
    });
    expect(await crisis()).toMatchObject({ on: false });
  });

  it('keeps reads open on the loopback address only: through FOGHORN_PUBLIC_URL they need a session, whose cookie is Secure', async () => {
    const outside = { host: PUBLIC_HOST };

    const anonymous = await get('/api/events', outside);
    const { answer, cookie } = await signIn('vera', PASSWORDS.vera, outside);

    expect((await get('/api/events')).status).toBe(200);
    expect(anonymous.status).toBe(401);
    expect(answer.headers['set-cookie']).toEqual([expect.stringMatching(/; Secure$/)]);
    expect((await get('/api/events', { ...outside, cookie })).status).toBe(200);
  });

  it('reads the users again when the config changes: a new role counts at once, a removed user is signed out', async () => {
    const ali = await signIn('ali', PASSWORDS.ali);
    const vera = await signIn('vera', PASSWORDS.vera);

    writeConfig({ ali: 'lead', lena: 'lead' });

    expect((await get('/api/me', { cookie: ali.cookie })).json()).toEqual({ name: 'ali', user: 'ali', role: 'lead', teams: [] });
    expect((await get('/api/me', { cookie: vera.cookie })).status).toBe(401);
    expect((await post('/api/login', { body: { name: 'vera', password: PASSWORDS.vera } })).status).toBe(401);
    const on = await post('/api/crisis/on', { cookie: ali.cookie, body: { why: 'promoted' } });
    expect(on.json().crisis).toMatchObject({ on: true, by: 'user:ali' });
    await post('/api/crisis/off', { cookie: ali.cookie, body: { why: 'done' } });
  });
});

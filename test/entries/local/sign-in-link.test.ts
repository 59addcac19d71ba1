import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace, type RuntimeProcess, startRuntimeProcess, waitFor } from '../../support/runtime-process.js';
import { rawRequest } from './raw-request.js';

/** With no console user configured, `npm start` prints a one-time admin sign-in link, as Jupyter does. */
describe('the one-time sign-in link', () => {
  let runtime: RuntimeProcess;
  let link: URL;
  beforeAll(async () => {
    // The rules folder's parents hold no foghorn.config.yaml: the repository's, which configures no console user, counts.
    runtime = await startRuntimeProcess(makeWorkspace({}));
    const printed = await waitFor(
      'the sign-in link',
      async () => /^http:\/\/127\.0\.0\.1:\d+\/login\?token=[A-Za-z0-9_-]{43}$/m.exec(runtime.output())?.[0],
    );
    link = new URL(printed);
  }, 60_000);
  afterAll(async () => {
    await runtime?.stop();
  });

  it('is printed on a line of its own, at the runtime’s own address', () => {
    expect(`${link.protocol}//${link.host}`).toBe(runtime.url);
    expect(link.pathname).toBe('/login');
  });

  it('refuses a wrong token and signs in nobody', async () => {
    const wrong = await rawRequest(runtime.url, 'GET', `/login?token=${'A'.repeat(43)}`);

    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('signs in as admin once, then sends the browser to the Feed; the same link again is refused', async () => {
    const first = await rawRequest(runtime.url, 'GET', `${link.pathname}${link.search}`);
    const again = await rawRequest(runtime.url, 'GET', `${link.pathname}${link.search}`);

    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/feed');
    const cookie = String(first.headers['set-cookie']).split(';')[0]!;
    expect(String(first.headers['set-cookie'])).toMatch(/^foghorn_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/$/);
    const me = await rawRequest(runtime.url, 'GET', '/api/me', { headers: { cookie } });
    expect(me.json()).toEqual({ name: 'admin', user: 'admin', role: 'admin', teams: [] });
    expect(again.status).toBe(401);
    expect(again.text).toContain('This sign-in link was used already');
    expect(again.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a password sign-in when no user is configured, and says how to get in', async () => {
    const answer = await rawRequest(runtime.url, 'POST', '/api/login', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'admin', password: 'anything' }),
    });

    expect(answer.status).toBe(401);
    expect(answer.json().error).toMatch(/^no console users are configured: use the sign-in link `npm start` printed/);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../cli/io.js';
import { main as cli } from '../../../cli/main.js';
import { settingsFrom } from '../../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../../functions/entries/local/runtime.js';
import { signGeneric } from '../../../functions/platforms/generic/verify.js';
import { TEST_API_AUTHORIZATION, TEST_API_TOKEN } from '../../support/api-token.js';
import { rawRequest } from './raw-request.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const SECRET = 'same-origin-guard-secret';
const PUBLIC_URL = 'https://foghorn-tunnel.example';
const JSON_TYPE = { 'content-type': 'application/json' };

describe('the local API only obeys its own origin (cross-site requests and DNS rebinding)', () => {
  let runtime: Runtime;
  let own: string;
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'foghorn-guard-'));
    writeFileSync(
      join(root, 'none.yaml'),
      'id: never\nwhen:\n  all:\n    - { fact: kind, operator: equal, value: review }\nthen:\n  - tag: [seen]\n',
    );
    runtime = await startRuntime({
      port: 0,
      dataDir: join(root, 'data'),
      rulesDir: root,
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: SECRET, FOGHORN_PUBLIC_URL: PUBLIC_URL, FOGHORN_API_TOKEN: TEST_API_TOKEN }),
      logger: quiet,
    });
    own = `127.0.0.1:${runtime.port}`;
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  const crisisIsOn = async () => ((await rawRequest(runtime.url, 'GET', '/api/crisis')).json().crisis as { on: boolean }).on;

  it('refuses the cross-site crisis switch of the reproduction, and crisis mode stays off', async () => {
    // Act: curl -X POST /api/crisis/on -H 'Origin: http://evil.example' -H 'Content-Type: text/plain' -H 'Host: evil.example:8787'
    const answer = await rawRequest(runtime.url, 'POST', '/api/crisis/on', {
      headers: { origin: 'http://evil.example', 'content-type': 'text/plain', host: `evil.example:${runtime.port}` },
      body: '{"who":"x","why":"y"}',
    });

    // Assess
    expect(answer.status).toBe(403);
    expect(answer.json()).toMatchObject({ error: expect.stringContaining('evil.example'), detail: expect.anything() });
    expect(await crisisIsOn()).toBe(false);
  });

  it('refuses a foreign Origin on every state-changing route, even with the right Host and JSON', async () => {
    for (const path of [
      '/api/crisis/on',
      '/api/crisis/off',
      '/api/approvals/act_x/approve',
      '/api/approvals/act_x/reject',
      '/api/dead-letters/actions/redrive',
    ]) {
      const answer = await rawRequest(runtime.url, 'POST', path, {
        headers: { ...JSON_TYPE, host: own, origin: 'http://evil.example' },
        body: '{"who":"x","why":"y","reason":"z"}',
      });
      expect(answer.status, path).toBe(403);
      expect(answer.json(), path).toEqual({
        error: "Origin 'http://evil.example' is not this runtime's: a web page cannot change Foghorn",
        detail: {
          origin: 'http://evil.example',
          allowed: [`http://127.0.0.1:${runtime.port}`, `http://localhost:${runtime.port}`, PUBLIC_URL],
        },
      });
    }
    // The sandboxed null origin of a page is foreign too.
    const sandboxed = await rawRequest(runtime.url, 'POST', '/api/crisis/on', {
      headers: { ...JSON_TYPE, host: own, origin: 'null' },
      body: '{}',
    });
    expect(sandboxed.status).toBe(403);
    expect(await crisisIsOn()).toBe(false);
  });

  it('refuses a change that is not application/json with 415, a body-less redrive included', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const answer = await rawRequest(runtime.url, 'POST', '/api/crisis/on', {
        headers: { host: own, 'content-type': type },
        body: '{"who":"x","why":"y"}',
      });
      expect(answer.status, type).toBe(415);
      expect(answer.json(), type).toEqual({
        error: `Content-Type '${type}' is refused: a change to Foghorn must be sent as application/json`,
        detail: { contentType: type, expected: 'application/json' },
      });
    }
    const untyped = await rawRequest(runtime.url, 'POST', '/api/dead-letters/actions/redrive', { headers: { host: own } });
    expect(untyped.status).toBe(415);
    expect(untyped.json()).toMatchObject({ error: expect.stringContaining('no Content-Type'), detail: { contentType: null } });
    expect(await crisisIsOn()).toBe(false);
  });

  it('refuses reads and changes with a foreign Host (DNS rebinding), naming the Host', async () => {
    for (const [method, path] of [
      ['GET', '/api/events'],
      ['GET', '/api/events/generic:1'],
      ['GET', '/api/actions'],
      ['GET', '/api/approvals'],
      ['GET', '/health'],
      ['POST', '/api/crisis/on'],
    ] as const) {
      const answer = await rawRequest(runtime.url, method, path, {
        headers: { host: `rebound.example:${runtime.port}`, ...(method === 'POST' ? JSON_TYPE : {}) },
        ...(method === 'POST' ? { body: '{"who":"x","why":"y"}' } : {}),
      });
      expect(answer.status, `${method} ${path}`).toBe(403);
      expect(answer.json(), `${method} ${path}`).toEqual({
        error: `Host 'rebound.example:${runtime.port}' is not this runtime's: the API answers only to its own address`,
        detail: {
          host: `rebound.example:${runtime.port}`,
          allowed: [`127.0.0.1:${runtime.port}`, `localhost:${runtime.port}`, 'foghorn-tunnel.example'],
        },
      });
    }
    expect(await crisisIsOn()).toBe(false);
  });

  it('serves its own origins: 127.0.0.1, localhost and FOGHORN_PUBLIC_URL', async () => {
    const asLocalhost = await rawRequest(runtime.url, 'GET', '/api/events', { headers: { host: `LOCALHOST:${runtime.port}` } });
    expect(asLocalhost.status).toBe(200);
    const throughTunnel = await rawRequest(runtime.url, 'GET', '/api/crisis', {
      headers: { host: 'foghorn-tunnel.example', ...TEST_API_AUTHORIZATION },
    });
    expect(throughTunnel.status).toBe(200);

    // Reaching the handler: the change is refused there for its missing `why` (400), not by the guard.
    for (const [host, origin] of [
      [own, `http://127.0.0.1:${runtime.port}`],
      [`localhost:${runtime.port}`, `http://localhost:${runtime.port}`],
      ['foghorn-tunnel.example', PUBLIC_URL],
    ]) {
      const answer = await rawRequest(runtime.url, 'POST', '/api/crisis/on', {
        headers: { host: host!, origin: origin!, 'content-type': 'application/json; charset=utf-8', ...TEST_API_AUTHORIZATION },
        body: '{"who":"maya"}',
      });
      expect(answer.status, origin).toBe(400);
      expect(answer.json().error, origin).toBe("'why' is required: the reason, for the audit log");
    }
  });

  it('keeps webhooks open to any Host, Origin and Content-Type: platforms post form bodies through tunnels', async () => {
    const body = JSON.stringify({ id: 'guard-1', kind: 'message', text: 'hello', author: { id: '42' }, channel: { id: 'web' } });
    const signed = await rawRequest(runtime.url, 'POST', '/webhooks/generic', {
      headers: {
        host: 'abc123.tunnel.example',
        origin: 'https://abc123.tunnel.example',
        'content-type': 'application/x-www-form-urlencoded',
        'x-foghorn-signature': signGeneric(SECRET, body),
      },
      body,
    });
    expect(signed.status).toBe(200);
    const handshake = await rawRequest(runtime.url, 'GET', '/webhooks/generic', { headers: { host: 'abc123.tunnel.example' } });
    // Reaching ingest: the generic platform has no GET handshake.
    expect(handshake.status).toBe(405);
  });

  it('still obeys the foghorn command (cli/commands/runtime-api.ts)', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      env: { FOGHORN_URL: runtime.url, FOGHORN_API_TOKEN: TEST_API_TOKEN },
      cwd: process.cwd(),
    };
    expect(await cli(['crisis', 'on', '--who', 'maya', '--why', 'guard test'], io), err.join('\n')).toBe(0);
    expect(await crisisIsOn()).toBe(true);
    expect(await cli(['crisis', 'off', '--who', 'maya', '--why', 'guard test done'], io), err.join('\n')).toBe(0);
    expect(await crisisIsOn()).toBe(false);
  });
});

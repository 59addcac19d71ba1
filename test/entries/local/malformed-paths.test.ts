import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFrom } from '../../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../../functions/entries/local/runtime.js';
import { TEST_API_AUTHORIZATION, TEST_API_TOKEN } from '../../support/api-token.js';
import { rawRequest } from './raw-request.js';

describe('malformed paths get a 4xx that names the bad part, never a 500', () => {
  let runtime: Runtime;
  const errors: unknown[] = [];
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'foghorn-paths-'));
    writeFileSync(
      join(root, 'none.yaml'),
      'id: never\nwhen:\n  all:\n    - { fact: kind, operator: equal, value: review }\nthen:\n  - tag: [seen]\n',
    );
    runtime = await startRuntime({
      port: 0,
      dataDir: join(root, 'data'),
      rulesDir: root,
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: 'x', FOGHORN_API_TOKEN: TEST_API_TOKEN }),
      logger: { info: () => {}, warn: () => {}, error: (message, detail) => errors.push({ message, detail }) },
    });
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  const send = (method: string, path: string) =>
    rawRequest(runtime.url, method, path, {
      headers: { 'content-type': 'application/json', ...TEST_API_AUTHORIZATION },
      ...(method === 'POST' ? { body: '{"who":"x","reason":"y"}' } : {}),
    });

  it.each([
    ['POST', '/webhooks/%E0%A4%A', 'platform', '%E0%A4%A'],
    ['GET', '/webhooks/%E0%A4%A', 'platform', '%E0%A4%A'],
    ['GET', '/api/events/%ZZ', 'id', '%ZZ'],
    ['POST', '/api/approvals/%E0/approve', 'id', '%E0'],
    ['POST', '/api/approvals/%E0/reject', 'id', '%E0'],
    ['POST', '/api/dead-letters/%C0%AF/redrive', 'queue', '%C0%AF'],
  ])('%s %s answers 400 naming the segment', async (method, path, parameter, segment) => {
    const answer = await send(method, path);
    expect(answer.status).toBe(400);
    expect(answer.json()).toEqual({
      error: `path segment '${segment}' (${parameter}) is not valid percent-encoded UTF-8`,
      detail: { parameter, segment },
    });
  });

  it('still decodes a well-formed segment', async () => {
    const answer = await send('GET', '/api/events/generic%3Anope');
    expect(answer.status).toBe(404);
    expect(answer.json()).toEqual({ error: "no event 'generic:nope'", detail: null });
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])(
    'redrive of the dead-letter queue %s (a prototype key) is 404 listing the queues',
    async (name) => {
      const answer = await send('POST', `/api/dead-letters/${name}/redrive`);
      expect(answer.status).toBe(404);
      expect(answer.json()).toEqual({ error: `no queue '${name}'`, detail: { queues: Object.keys(runtime.queues) } });
    },
  );

  it('logged no internal error for any of them', () => {
    expect(errors).toEqual([]);
  });
});

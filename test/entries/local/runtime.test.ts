import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topology } from '../../../functions/app/topology.js';
import { settingsFrom } from '../../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../../functions/entries/local/runtime.js';
import { TEST_API_AUTHORIZATION, TEST_API_TOKEN } from '../../support/api-token.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe('local runtime wiring', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'foghorn-runtime-'));
    writeFileSync(
      join(root, 'none.yaml'),
      'id: never\nwhen:\n  all:\n    - { fact: kind, operator: equal, value: review }\nthen:\n  - tag: [seen]\n',
    );
    runtime = await startRuntime({
      port: 0,
      dataDir: join(root, 'data'),
      rulesDir: root,
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: 'x', FOGHORN_API_TOKEN: TEST_API_TOKEN }),
      logger: quiet,
    });
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('builds its queues and dead-letter queues from the same topology as the CDK stack', () => {
    expect(Object.keys(runtime.queues).sort()).toEqual(Object.keys(topology.queues).sort());
    for (const [name, queue] of Object.entries(runtime.queues)) expect(queue.deadLetter?.name).toBe(`${name}-dlq`);
  });

  it('serves the topology HTTP routes through the ingest handler', async () => {
    for (const route of topology.http.filter((candidate) => candidate.function === 'ingest')) {
      const response = await fetch(`${runtime.url}${route.path.replace('{platform}', 'generic')}`, {
        method: route.method,
        body: route.method === 'POST' ? '{}' : undefined,
      });
      // Reaching the handler: the generic platform refuses an unsigned POST (401) and has no GET handshake (405).
      expect([401, 405]).toContain(response.status);
      expect(await response.json()).toHaveProperty('error');
    }
  });

  it('serves every route of the api function, with the handlers the api Lambda uses', async () => {
    const apiRoutes = topology.http.filter((candidate) => candidate.function === 'api');
    expect(apiRoutes.length).toBeGreaterThan(0);
    for (const route of apiRoutes) {
      const response = await fetch(`${runtime.url}${route.path.replace('{id}', 'generic%3Anope')}`, {
        method: route.method,
        ...(route.method !== 'GET' ? { headers: { 'content-type': 'application/json', ...TEST_API_AUTHORIZATION }, body: '{}' } : {}),
      });
      // Reaching the handler: a read answers 200 (404 for the unknown event), a change without why or reason is refused with 400
      // (with the API token, who defaults to `token`), an approval of the unknown id 404; releasing every suspended post
      // needs nothing more than who, so it answers 200 (none was suspended).
      const bulk = route.method === 'POST' && route.path === '/api/posts/release';
      expect(route.method === 'GET' || bulk ? [200, 404] : [400, 404]).toContain(response.status);
    }
  });

  it('answers an unknown path with 404 and a wrong method with 405, as JSON', async () => {
    expect((await fetch(`${runtime.url}/nope`)).status).toBe(404);
    const wrongMethod = await fetch(`${runtime.url}/health`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toMatchObject({ error: 'DELETE is not allowed on /health' });
  });
});

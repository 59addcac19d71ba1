import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileErrors, validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topology } from '../../../functions/app/topology.js';
import { settingsFrom } from '../../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../../functions/entries/local/runtime.js';
import { rawRequest } from './raw-request.js';

describe('GET /api/openapi.json', () => {
  let runtime: Runtime;
  let document: Record<string, unknown>;
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'foghorn-openapi-'));
    runtime = await startRuntime({
      port: 0,
      dataDir: join(root, 'data'),
      rulesDir: root,
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: 'x' }),
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    });
    const answer = await rawRequest(runtime.url, 'GET', '/api/openapi.json', { headers: { host: `127.0.0.1:${runtime.port}` } });
    expect(answer.status).toBe(200);
    document = answer.json();
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    // The validator dereferences in place: hand it a copy.
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  });

  it('describes every route of the local runtime and of the AWS api function', () => {
    const paths = document.paths as Record<string, Record<string, unknown>>;
    const described = (method: string, path: string) => paths[path]?.[method.toLowerCase()] !== undefined;
    for (const route of topology.http) expect(described(route.method, route.path), `${route.method} ${route.path}`).toBe(true);
    expect(runtime.routes.length).toBeGreaterThan(topology.http.length);
    for (const route of runtime.routes) expect(described(route.method, route.path), `${route.method} ${route.path}`).toBe(true);
  });

  it('takes the listings query parameters from the schemas that validate them', () => {
    const paths = document.paths as Record<
      string,
      Record<string, { parameters: Array<{ name: string; schema: Record<string, unknown> }> }>
    >;
    const events = paths['/api/events']?.get?.parameters ?? [];
    expect(events.map((parameter) => parameter.name)).toEqual([
      'limit',
      'cursor',
      'platform',
      'kind',
      'status',
      'since',
      'until',
      'owner',
      'team',
    ]);
    expect(events.find((parameter) => parameter.name === 'kind')?.schema.enum).toContain('comment');
    expect(paths['/api/actions']?.get?.parameters.map((parameter) => parameter.name)).toContain('rule');
    expect(paths['/api/audit']?.get?.parameters.map((parameter) => parameter.name)).toEqual(['limit']);
  });
});

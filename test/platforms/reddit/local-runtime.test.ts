import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace, type RuntimeProcess, startRuntimeProcess } from '../../support/runtime-process.js';

describe('reddit through the local runtime (npm start)', () => {
  let runtime: RuntimeProcess;
  beforeAll(async () => {
    runtime = await startRuntimeProcess({ ...makeWorkspace({}), env: { FOGHORN_LOG_LEVEL: 'warn' } });
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('refuses a webhook with 404, saying Reddit is polled', async () => {
    const response = await fetch(`${runtime.url}/webhooks/reddit`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: string }).error).toMatch(/has no webhooks: Foghorn polls/);
  });
});

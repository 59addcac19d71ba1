import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFrom } from '../../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../../functions/entries/local/runtime.js';
import { getJson, postGeneric, waitFor } from '../../support/runtime-process.js';

const SECRET = 'health-secret';
const REPLY_RULE = `
id: health-reply
when:
  all:
    - { fact: kind, operator: equal, value: message }
then:
  - reply:
      text:
        default: "Thanks"
`;

interface Health {
  storage: { engine: string; writes: number; commits: number; reads: number };
}

describe.each(['embedded', 'dynamodb'] as const)('/health on the %s store', (engine) => {
  let runtime: Runtime;
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'foghorn-health-'));
    writeFileSync(join(root, 'reply.yaml'), REPLY_RULE);
    runtime = await startRuntime({
      port: 0,
      dataDir: join(root, 'data'),
      rulesDir: root,
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: SECRET }),
      logger: { info: () => {}, warn: () => {}, error: () => {} },
      forceSandbox: true,
      store: { engine },
    });
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('names the engine and counts the writes and commits a webhook makes', async () => {
    // Prepare
    const before = await getJson<Health>(`${runtime.url}/health`);

    // Act
    const event = { id: `health-${engine}`, kind: 'message', text: 'hi', author: { id: '1' }, channel: { id: 'c' } };
    expect((await postGeneric(runtime.url, event, SECRET)).status).toBe(200);
    const after = await waitFor('the reply to complete', async () => {
      const { actions } = await getJson<{ actions: Array<{ eventId: string; status: string }> }>(`${runtime.url}/api/actions`);
      return actions.some((action) => action.eventId === `generic:health-${engine}` && action.status === 'succeeded')
        ? getJson<Health>(`${runtime.url}/health`)
        : undefined;
    });

    // Assess
    expect(before.storage.engine).toBe(engine);
    expect(after.storage.engine).toBe(engine);
    expect(after.storage.writes - before.storage.writes).toBeGreaterThanOrEqual(4);
    expect(after.storage.commits).toBeGreaterThan(before.storage.commits);
    expect(runtime.storage()).toMatchObject({ engine });
  });
});

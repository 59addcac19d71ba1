import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settingsFrom } from '../../../functions/core/settings.js';
import { type RuntimeOptions, startRuntime } from '../../../functions/entries/local/runtime.js';
import { getJson, postGeneric, waitFor } from '../../support/runtime-process.js';

const SECRET = 'layout-secret';

/** Every file under `folder` with a hash of its bytes: equal snapshots mean nothing was touched. */
function snapshot(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[path.slice(folder.length)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(folder);
  return files;
}

function recordingLogger() {
  const warnings: string[] = [];
  return { warnings, logger: { info: () => {}, warn: (message: string) => warnings.push(message), error: () => {} } };
}

describe('a data folder from the dynalite layout, while the store is embedded', () => {
  const root = mkdtempSync(join(tmpdir(), 'foghorn-layout-'));
  writeFileSync(
    join(root, 'none.yaml'),
    'id: never\nwhen:\n  all:\n    - { fact: kind, operator: equal, value: review }\nthen:\n  - tag: [seen]\n',
  );
  const dataDir = join(root, 'data');
  const dynaliteFolder = join(dataDir, 'dynamodb');
  const base = (logger: RuntimeOptions['logger']): RuntimeOptions => ({
    port: 0,
    dataDir,
    rulesDir: root,
    settings: settingsFrom({ FOGHORN_GENERIC_SECRET: SECRET }),
    logger,
  });
  const event = { id: 'kept-in-dynalite', kind: 'message', text: 'hello', author: { id: '1' }, channel: { id: 'c' } };
  const listed = async (url: string) => (await getJson<{ events: Array<{ id: string }> }>(`${url}/api/events`)).events.map((e) => e.id);

  it('is said at start, one line per way forward, read by nobody and left exactly as it was; FOGHORN_STORE=dynamodb still serves it', async () => {
    // Prepare: an earlier Foghorn on the dynalite layout, with one event.
    const earlier = await startRuntime({ ...base(recordingLogger().logger), store: { engine: 'dynamodb' } });
    expect((await postGeneric(earlier.url, event, SECRET)).status).toBe(200);
    await waitFor('the event in dynalite', async () =>
      (await listed(earlier.url)).includes('generic:kept-in-dynalite') ? true : undefined,
    );
    await earlier.stop();
    const before = snapshot(dynaliteFolder);

    // Act
    const { warnings, logger } = recordingLogger();
    const embedded = await startRuntime(base(logger));
    const embeddedEvents = await listed(embedded.url);
    await embedded.stop();

    // Assess
    expect(warnings).toEqual([
      `found the DynamoDB (dynalite) data of an earlier Foghorn in ${dynaliteFolder}: the embedded store does not read it, and it is left untouched`,
      `to bring it into the embedded store (events, actions, approvals, audit, crisis state, timers, queues and dead letters): stop Foghorn and run \`npx foghorn data migrate --data ${dataDir}\` (it copies, and leaves ${dynaliteFolder} as it is)`,
      'to keep using it: start with FOGHORN_STORE=dynamodb',
      `to start fresh: move ${dynaliteFolder} somewhere else (this message stops when it is gone); the embedded store keeps its data in ${join(dataDir, 'embedded')}`,
    ]);
    expect(embeddedEvents).toEqual([]);
    expect(snapshot(dynaliteFolder)).toEqual(before);
    const again = await startRuntime({ ...base(recordingLogger().logger), store: { engine: 'dynamodb' } });
    try {
      expect(await listed(again.url)).toEqual(['generic:kept-in-dynalite']);
    } finally {
      await again.stop();
    }
  });

  it('is not mentioned when there is none', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'foghorn-layout-fresh-'));
    const { warnings, logger } = recordingLogger();
    const runtime = await startRuntime({ ...base(logger), dataDir: join(fresh, 'data') });
    await runtime.stop();
    expect(warnings.filter((line) => line.includes('dynalite'))).toEqual([]);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { settingsFrom } from '../../../functions/core/settings.js';
import { type Runtime, type RuntimeOptions, startRuntime } from '../../../functions/entries/local/runtime.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe.each([
  { engine: 'embedded' as const, holder: 'embedded store', lockFile: ['embedded', 'foghorn.lock'] },
  { engine: 'dynamodb' as const, holder: 'embedded DynamoDB', lockFile: ['dynamodb', 'LOCK'] },
])('a second runtime on the same data folder ($engine store)', ({ engine, holder, lockFile }) => {
  const root = mkdtempSync(join(tmpdir(), 'foghorn-lock-'));
  writeFileSync(
    join(root, 'none.yaml'),
    'id: never\nwhen:\n  all:\n    - { fact: kind, operator: equal, value: review }\nthen:\n  - tag: [seen]\n',
  );
  const dataDir = join(root, 'data');
  const options: RuntimeOptions = {
    port: 0,
    dataDir,
    rulesDir: root,
    settings: settingsFrom({ FOGHORN_GENERIC_SECRET: 'x' }),
    logger: quiet,
    store: { engine },
  };
  const started: Runtime[] = [];
  afterAll(async () => {
    for (const runtime of started) await runtime.stop();
  });

  it('fails at start naming the folder and its lock, and the first one keeps serving', async () => {
    // Prepare
    const first = await startRuntime(options);
    started.push(first);

    // Act
    const second = startRuntime(options).then((runtime) => {
      started.push(runtime);
      return runtime;
    });

    // Assess
    await expect(second).rejects.toThrow(
      `the data folder ${dataDir} is in use by another Foghorn runtime (its ${holder} holds the lock ${join(dataDir, ...lockFile)}): stop that runtime, or set FOGHORN_DATA to another folder`,
    );
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
  });

  it('starts on the folder once the first one has stopped', async () => {
    await started.shift()?.stop();
    const again = await startRuntime(options);
    started.push(again);
    expect((await fetch(`${again.url}/health`)).status).toBe(200);
  });
});

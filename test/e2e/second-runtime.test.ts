import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeWorkspace, type RuntimeProcess, startRuntimeProcess } from '../support/runtime-process.js';

describe('npm start twice on one data folder', () => {
  const running: RuntimeProcess[] = [];
  afterAll(async () => {
    for (const runtime of running) await runtime.stop();
  });

  it('the second one exits saying the folder is in use and which lock holds it; the first keeps serving', async () => {
    // Prepare
    const workspace = makeWorkspace({});
    running.push(await startRuntimeProcess(workspace));

    // Act
    const second = startRuntimeProcess(workspace).then((runtime) => {
      running.push(runtime);
      return runtime;
    });

    // Assess
    await expect(second).rejects.toThrow(
      `foghorn could not start: the data folder ${workspace.dataDir} is in use by another Foghorn runtime (its embedded store holds the lock ${join(workspace.dataDir, 'embedded', 'foghorn.lock')}): stop that runtime, or set FOGHORN_DATA to another folder`,
    );
    await expect(second).rejects.not.toThrow(/ECONNREFUSED/);
    expect((await fetch(`${running[0]?.url}/health`)).status).toBe(200);
  });
});

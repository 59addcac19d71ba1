import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalScheduler } from '../../functions/local/scheduler.js';

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('LocalScheduler', () => {
  it('runs the task repeatedly, never two runs at once', async () => {
    let runs = 0;
    let running = 0;
    let overlaps = 0;
    const scheduler = new LocalScheduler({
      name: 'slow',
      everyMs: 1,
      runAtStart: true,
      task: async () => {
        if (running > 0) overlaps++;
        running++;
        await new Promise((resolve) => setTimeout(resolve, 15));
        running--;
        runs++;
      },
    });
    scheduler.start();
    scheduler.start();
    await waitFor(() => runs >= 4, 'four runs');
    await scheduler.stop();
    expect(overlaps).toBe(0);
  });

  it('logs a failing run and keeps the schedule going', async () => {
    const logged: string[] = [];
    let runs = 0;
    const scheduler = new LocalScheduler({
      name: 'flaky',
      everyMs: 5,
      task: () => {
        runs++;
        if (runs === 1) throw new Error('platform down');
      },
      logger: { error: (message, error) => logged.push(`${message} | ${(error as Error).message}`) },
    });
    scheduler.start();
    await waitFor(() => runs >= 3, 'three runs');
    await scheduler.stop();
    expect(logged).toEqual(['scheduled task flaky failed; it runs again in 5 ms | platform down']);
  });

  it('waits for the run in progress when stopped, and runs no more after', async () => {
    let finished = 0;
    let started = 0;
    const scheduler = new LocalScheduler({
      name: 'stoppable',
      everyMs: 1,
      runAtStart: true,
      task: async () => {
        started++;
        await new Promise((resolve) => setTimeout(resolve, 50));
        finished++;
      },
    });
    scheduler.start();
    await waitFor(() => started === 1, 'the first run to start');
    await scheduler.stop();
    expect(finished).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toBe(1);
  });

  it('refuses a non-positive interval', () => {
    expect(() => new LocalScheduler({ name: 'bad', everyMs: 0, task: () => {} })).toThrow(
      /LocalScheduler\(bad\): everyMs must be a positive number/,
    );
  });

  describe('on the minute', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it("starts each run at the wall clock's next minute, however long the previous one took", async () => {
      vi.useFakeTimers();
      vi.setSystemTime(new Date('2026-12-02T10:04:37.000Z'));
      const runs: string[] = [];
      const scheduler = new LocalScheduler({
        name: 'sweep',
        everyMs: 60_000,
        onTheMinute: true,
        task: async () => {
          runs.push(new Date().toISOString());
          // A slow run (20 s) does not push the next one past its minute.
          await new Promise((resolve) => setTimeout(resolve, 20_000));
        },
      });
      scheduler.start();
      await vi.advanceTimersByTimeAsync(22_000);
      expect(runs).toEqual([]);
      await vi.advanceTimersByTimeAsync(2 * 60_000);
      const stopped = scheduler.stop();
      await vi.advanceTimersByTimeAsync(20_000);
      await stopped;
      expect(runs).toEqual(['2026-12-02T10:05:00.005Z', '2026-12-02T10:06:00.005Z']);
    });
  });
});

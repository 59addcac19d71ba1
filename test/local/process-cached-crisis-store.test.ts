import { describe, expect, it } from 'vitest';
import type { CrisisState, CrisisStore } from '../../functions/crisis/ports.js';
import { ProcessCachedCrisisStore } from '../../functions/local/process-cached-crisis-store.js';

/** A store that counts reads and lets a test hold a read or a write open. */
class CountingStore implements CrisisStore {
  state: CrisisState = { on: false, version: 0 };
  reads = 0;
  holdRead: Promise<void> | undefined;
  async get(): Promise<CrisisState> {
    this.reads++;
    const snapshot = { ...this.state };
    await this.holdRead;
    return snapshot;
  }
  async set(next: Omit<CrisisState, 'version'>, expectedVersion: number): Promise<boolean> {
    if (expectedVersion !== this.state.version) return false;
    this.state = { ...next, version: expectedVersion + 1 };
    return true;
  }
}

describe('ProcessCachedCrisisStore', () => {
  it('reads the stored switch once, then from memory', async () => {
    const inner = new CountingStore();
    const store = new ProcessCachedCrisisStore(inner);
    expect(await store.get()).toEqual({ on: false, version: 0 });
    await store.get();
    await store.get();
    expect(inner.reads).toBe(1);
  });

  it('sees a change made through it at once', async () => {
    const inner = new CountingStore();
    const store = new ProcessCachedCrisisStore(inner);
    await store.get();
    expect(await store.set({ on: true, by: 'maya', why: 'outage' }, 0)).toBe(true);
    expect(await store.get()).toMatchObject({ on: true, by: 'maya', version: 1 });
  });

  it('never caches a read that raced a change', async () => {
    const inner = new CountingStore();
    const store = new ProcessCachedCrisisStore(inner);
    let release!: () => void;
    inner.holdRead = new Promise((resolve) => {
      release = resolve;
    });
    const staleRead = store.get();
    inner.holdRead = undefined;
    await store.set({ on: true }, 0);
    release();
    expect((await staleRead).on).toBe(false);
    expect((await store.get()).on).toBe(true);
  });
});

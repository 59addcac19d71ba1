import type { CrisisState, CrisisStore } from '../crisis/ports.js';

/**
 * The crisis switch, read from memory in a process that owns its data (the local runtime: every
 * change, from the HTTP API or the CLI, goes through this process). Saves a read per evaluation and
 * per action. Not for AWS, where many functions share the switch.
 */
export class ProcessCachedCrisisStore implements CrisisStore {
  private cached: CrisisState | undefined;
  /** Bumped around every change, so a read that raced a change never caches what it read. */
  private generation = 0;

  constructor(private readonly inner: CrisisStore) {}

  async get(): Promise<CrisisState> {
    if (this.cached) return this.cached;
    const startedAt = this.generation;
    const state = await this.inner.get();
    if (startedAt === this.generation) this.cached = state;
    return state;
  }

  async set(next: Omit<CrisisState, 'version'>, expectedVersion: number): Promise<boolean> {
    this.generation++;
    this.cached = undefined;
    try {
      return await this.inner.set(next, expectedVersion);
    } finally {
      this.generation++;
      this.cached = undefined;
    }
  }
}

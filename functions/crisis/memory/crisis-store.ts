import type { CrisisState, CrisisStore } from '../ports.js';

export function memoryCrisisStore(initial: CrisisState = { on: false, version: 0 }): CrisisStore {
  let state = { ...initial };
  return {
    async get() {
      return { ...state };
    },
    async set(next, expectedVersion) {
      if (state.version !== expectedVersion) return false;
      state = { ...next, version: expectedVersion + 1 };
      return true;
    },
  };
}

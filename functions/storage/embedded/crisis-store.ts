import type { CrisisState, CrisisStore } from '../../crisis/ports.js';
import type { EmbeddedDatabase } from './database.js';

const KEY = 'crisis/switch';
const OFF: CrisisState = { on: false, version: 0 };

/** The crisis-mode switch (`crisis/switch`), changed only in a transaction that finds the expected version. */
export class EmbeddedCrisisStore implements CrisisStore {
  constructor(private readonly db: EmbeddedDatabase) {
    if (!db) throw new Error('EmbeddedCrisisStore: an EmbeddedDatabase is required');
  }

  async get(): Promise<CrisisState> {
    return this.db.get<CrisisState>(KEY) ?? { ...OFF };
  }

  async set(next: Omit<CrisisState, 'version'>, expectedVersion: number): Promise<boolean> {
    if ((this.db.get<CrisisState>(KEY)?.version ?? 0) !== expectedVersion) return false;
    return this.db.write((tx) => {
      if ((tx.get<CrisisState>(KEY)?.version ?? 0) !== expectedVersion) return false;
      tx.put(KEY, { ...withoutUndefined(next), version: expectedVersion + 1 });
      return true;
    });
  }
}

/** The whole state is replaced: a field left out is gone, as with the DynamoDB put. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

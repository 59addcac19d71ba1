import { describe } from 'vitest';
import { memoryActionStore } from '../crisis/support/memory-action-store.js';
import { actionStoreContract } from './action-store-contract.js';

describe('memoryActionStore (the ActionStore contract)', () => {
  actionStoreContract(memoryActionStore, 'memory-');
});

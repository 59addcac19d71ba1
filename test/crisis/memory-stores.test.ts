import { describe } from 'vitest';
import {
  memoryApprovalStore,
  memoryAuditLog,
  memoryCounterStore,
  memoryCrisisStore,
  memoryEpisodeStore,
  memoryTimerStore,
} from '../../functions/crisis/memory/index.js';
import {
  approvalStoreContract,
  auditLogContract,
  counterAndEpisodeContract,
  crisisStoreContract,
  timerStoreContract,
} from './support/store-contracts.js';

describe('in-memory crisis stores', () => {
  describe('counters and episodes', () =>
    counterAndEpisodeContract(() => ({ counters: memoryCounterStore(), episodes: memoryEpisodeStore() })));
  describe('crisis switch', () => crisisStoreContract(memoryCrisisStore));
  describe('SLA timers', () => timerStoreContract(memoryTimerStore));
  describe('approvals', () => approvalStoreContract(memoryApprovalStore));
  describe('audit log', () => auditLogContract(memoryAuditLog));
});

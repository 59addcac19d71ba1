/** In-memory implementations of the crisis ports: tests, `foghorn evaluate`, and a single process. */
export { memoryApprovalStore } from './approval-store.js';
export { memoryAuditLog } from './audit-log.js';
export { memoryCounterStore } from './counter-store.js';
export { memoryCrisisStore } from './crisis-store.js';
export { memoryEpisodeStore } from './episode-store.js';
export { memoryTimerStore } from './timer-store.js';

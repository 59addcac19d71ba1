import type { CrisisStores } from '../../crisis/crisis-kit.js';
import { EmbeddedApprovalStore } from './approval-store.js';
import { EmbeddedAuditLog } from './audit-log.js';
import { EmbeddedCounterStore } from './counter-store.js';
import { EmbeddedCrisisStore } from './crisis-store.js';
import type { EmbeddedDatabase } from './database.js';
import { EmbeddedEpisodeStore } from './episode-store.js';
import { EmbeddedTicketStore } from './ticket-store.js';
import { EmbeddedTimerStore } from './timer-store.js';

/**
 * Every crisis store over the embedded database, all keys under `crisis/` (each store's file names its
 * own). Each change is one transaction; reads are synchronous reads of committed data and never write.
 */
export function embeddedCrisisStores(db: EmbeddedDatabase): CrisisStores {
  return {
    counters: new EmbeddedCounterStore(db),
    episodes: new EmbeddedEpisodeStore(db),
    crisis: new EmbeddedCrisisStore(db),
    timers: new EmbeddedTimerStore(db),
    approvals: new EmbeddedApprovalStore(db),
    audit: new EmbeddedAuditLog(db),
    tickets: new EmbeddedTicketStore(db),
  };
}

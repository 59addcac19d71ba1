import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CrisisStores } from '../../crisis/crisis-kit.js';
import { DynamoApprovalStore } from './approval-store.js';
import { DynamoAuditLog } from './audit-log.js';
import type { ClaimCrisisChecks } from './claim-crisis-checks.js';
import { DynamoCounterStore } from './counter-store.js';
import { DynamoCrisisStore } from './crisis-store.js';
import { DynamoEpisodeStore } from './episode-store.js';
import type { HeldCounts } from './held-counts.js';
import { DynamoTicketStore } from './ticket-store.js';
import { DynamoTimerStore } from './timer-store.js';

/**
 * Every crisis store over the single table; `crisisChecks` shared with the action store's claims, `held` with the
 * decision store, which settles the counts it holds (AWS).
 */
export function dynamoCrisisStores(table: {
  client: DynamoDBClient;
  tableName: string;
  crisisChecks?: ClaimCrisisChecks;
  held?: HeldCounts;
}): CrisisStores {
  return {
    counters: new DynamoCounterStore(table),
    episodes: new DynamoEpisodeStore(table),
    crisis: new DynamoCrisisStore(table),
    timers: new DynamoTimerStore(table),
    approvals: new DynamoApprovalStore(table),
    audit: new DynamoAuditLog(table),
    tickets: new DynamoTicketStore(table),
  };
}

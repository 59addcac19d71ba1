import { DynamoQueueStorage } from '../local/dynamo-queue-storage.js';
import { ProcessCachedCrisisStore } from '../local/process-cached-crisis-store.js';
import type { QueueStorage } from '../local/queue-storage.js';
import { DynamoActionStore } from '../storage/dynamo/action-store.js';
import { DynamoAnalyticsStore } from '../storage/dynamo/analytics-store.js';
import { DynamoAssignmentStore } from '../storage/dynamo/assignment-store.js';
import { DynamoCrisisStore } from '../storage/dynamo/crisis-store.js';
import { dynamoCrisisStores } from '../storage/dynamo/crisis-stores.js';
import { DynamoCursorStore } from '../storage/dynamo/cursor-store.js';
import { DynamoDecisionStore } from '../storage/dynamo/decision-store.js';
import { DynamoEventStore } from '../storage/dynamo/event-store.js';
import { DynamoPostStore } from '../storage/dynamo/post-store.js';
import { DynamoRuleState } from '../storage/dynamo/rule-state.js';
import type { DynamoTable, StoreSet } from './local-adapters.js';

/**
 * The local runtime's stores in its DynamoDB mode (FOGHORN_STORE=dynamodb): the same stores as on AWS, over
 * dynalite or DynamoDB Local. A module of its own, imported by local-adapters.ts only in that mode, so the
 * embedded store never loads the AWS SDK.
 */
export function dynamoQueueStorage(table: DynamoTable): QueueStorage {
  return DynamoQueueStorage.of(table.client, table.tableName);
}

export function dynamoStores(table: DynamoTable): StoreSet {
  const events = new DynamoEventStore(table);
  const actions = new DynamoActionStore(table);
  return {
    events,
    actions,
    decisions: new DynamoDecisionStore(table),
    ruleState: new DynamoRuleState(table),
    cursors: new DynamoCursorStore(table),
    analytics: new DynamoAnalyticsStore(table),
    posts: new DynamoPostStore(table),
    assignments: new DynamoAssignmentStore(table),
    // This process owns the data, so the crisis switch is read from memory after the first read.
    crisisStores: { ...dynamoCrisisStores(table), crisis: new ProcessCachedCrisisStore(new DynamoCrisisStore(table)) },
    listings: {
      events: (query) => events.listPage(query),
      actions: (query) => actions.listPage(query),
      quarantine: (limit) => events.listQuarantine(limit),
    },
  };
}

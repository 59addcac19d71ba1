import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import type { DecisionStore, StoredDecision } from '../../core/ports.js';
import { DAY_SECONDS, DECISION_RETENTION_DAYS } from '../../core/retention.js';
import type { RuleState } from '../../core/rule-set.js';
import { DecisionWrites, deciding } from '../decision-writes.js';
import type { HeldCounts } from './held-counts.js';
import { fromItem, isConditionFailure, toItem, transactionCancellationReasons } from './item.js';
import { DynamoRuleState } from './rule-state.js';
import { LimitCache } from './staged-limits.js';
import { expiresIn } from './table.js';

const RETENTION_SECONDS = DECISION_RETENTION_DAYS * DAY_SECONDS;

/**
 * `DECISION#<event id>`: the first decision made for an event, with its commands. One conditional write and
 * no read: a put that loses to an earlier decision gets that decision back with the refusal. The rule limits
 * the decision spent (rule-state.ts's items) are written in the same TransactWriteItems (`decideOnce`). The
 * commands go on the actions queue from the caller (this store is not an outbox: `queued` is always false).
 * The counts the evaluation made (spike minute counts, episode heartbeats: DYNAMO_DECISION) are written after
 * the decision, and only when it is the one kept: never twice for one event. A crash between the two loses
 * them (one event under-counted), which a spike's threshold and an episode's quiet period can afford, where
 * folding them into the transaction would double their cost and make every counter item a transaction's.
 * With `held` (shared with the counter and episode stores: the evaluate function's), those counts wait in the
 * container for `settle`, which writes a batch's counts merged (held-counts.ts).
 */
export class DynamoDecisionStore implements DecisionStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  /** This container's knowledge of the limit items, shared by every evaluation it runs. */
  private readonly limits = new LimitCache();
  private readonly table: DynamoRuleState;
  private readonly held: HeldCounts | undefined;

  constructor(options: { client: DynamoDBClient; tableName: string; held?: HeldCounts }) {
    if (!options.tableName) throw new Error('DynamoDecisionStore: tableName is required');
    this.client = options.client;
    this.tableName = options.tableName;
    this.table = new DynamoRuleState(options);
    this.held = options.held;
  }

  /** Writes the counts the decisions kept since the last call hold (held-counts.ts), merged. */
  async settle(): Promise<void> {
    await this.held?.settle();
  }

  /**
   * Runs `decide` on limits answered from what this container knows, then writes the decision and every limit
   * item it spent in one TransactWriteItems: the decision put if absent, each limit on the version it was
   * decided on. Nothing is read. A refusal says which: the decision already there (kept, as putIfAbsent), or a
   * limit that moved (its item comes back with the refusal, and `decide` runs again on it). A decision that
   * spent nothing is a plain conditional put.
   */
  async decideOnce(
    eventId: string,
    decide: (state: RuleState) => Promise<StoredDecision>,
  ): Promise<{ decision: StoredDecision; created: boolean; queued: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const staged = this.limits.stage(this.tableName, (key, limit, windowMs, now) => this.table.peek(key, limit, windowMs, now));
      const counts = new DecisionWrites<DeferredWrite>(DYNAMO_DECISION);
      const decision = await deciding(counts, () => decide(staged));
      if (decision.eventId !== eventId) throw new Error(`decideOnce(${eventId}) was handed the decision for ${decision.eventId}`);
      const spends = staged.items();
      if (spends.length === 0) return this.counted(await this.putIfAbsent(decision), counts);
      try {
        await this.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { Put: { ...this.decisionPut(decision), ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
              ...spends.map(({ item }) => item),
            ],
          }),
        );
        for (const spend of spends) spend.committed();
        return this.counted({ decision, created: true, queued: false }, counts);
      } catch (error) {
        const reasons = transactionCancellationReasons(error);
        if (!reasons) throw error;
        const [own, ...limits] = reasons;
        if (own?.code === 'ConditionalCheckFailed') {
          const kept = own.item ? fromItem<{ decision: StoredDecision }>(own.item)?.decision : await this.get(eventId);
          if (!kept) throw new Error(`decision for ${eventId} vanished after a conditional-put conflict`);
          return { decision: kept, created: false, queued: false };
        }
        limits.forEach((reason, index) => {
          if (reason.code === 'ConditionalCheckFailed') spends[index]?.refused(reason.item);
        });
        const codes = reasons.map((reason) => reason.code);
        if (!codes.every((code) => code === 'None' || code === 'ConditionalCheckFailed' || code === 'TransactionConflict'))
          throw new Error(`the decision for ${eventId} was refused (${codes.join(', ')})`, { cause: error });
        if (attempt >= MAX_DECIDE_ATTEMPTS)
          throw new Error(`the decision for ${eventId} lost ${attempt} races for its limits (${codes.join(', ')}); too much contention`, {
            cause: error,
          });
        // A hot limit: back off with jitter after the first lost race, so the racers spread out.
        if (attempt > 1 || codes.includes('TransactionConflict'))
          await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
      }
    }
  }

  /** The kept decision, its evaluation's counts written when it is this one. */
  private async counted<Kept extends { created: boolean }>(kept: Kept, counts: DecisionWrites<DeferredWrite>): Promise<Kept> {
    if (kept.created) await Promise.all(counts.writes.map((write) => write()));
    return kept;
  }

  async get(eventId: string): Promise<StoredDecision | undefined> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key(eventId), ConsistentRead: true }));
    return fromItem<{ decision: StoredDecision }>(Item)?.decision;
  }

  async putIfAbsent(decision: StoredDecision): Promise<{ decision: StoredDecision; created: boolean; queued: boolean }> {
    try {
      await this.client.send(new PutItemCommand({ ...this.decisionPut(decision), ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
      return { decision, created: true, queued: false };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const refusedBy = (error as { Item?: Record<string, AttributeValue> }).Item;
      // A DynamoDB (or emulator) that returns no item on a refusal is read instead.
      const kept = refusedBy ? fromItem<{ decision: StoredDecision }>(refusedBy)?.decision : await this.get(decision.eventId);
      if (!kept) throw new Error(`decision for ${decision.eventId} vanished after a conditional-put conflict`);
      return { decision: kept, created: false, queued: false };
    }
  }

  private decisionPut(decision: StoredDecision) {
    return {
      TableName: this.tableName,
      Item: toItem({ ...keyValues(decision.eventId), decision, ttl: expiresIn(new Date(decision.decidedAt), RETENTION_SECONDS) }),
      ConditionExpression: 'attribute_not_exists(pk)',
    };
  }
}

/** The kind of DecisionWrites this store's decisions collect (counter-store.ts and episode-store.ts defer to it). */
export const DYNAMO_DECISION = 'dynamo';

/** A count deferred until the decision is kept. */
export type DeferredWrite = () => Promise<void>;

/** Races for one decision's limits lost before giving up (each a refusal that taught the container the limit's state). */
const MAX_DECIDE_ATTEMPTS = 20;

function keyValues(eventId: string) {
  return { pk: `DECISION#${eventId}`, sk: 'DECISION' };
}

function key(eventId: string) {
  return toItem(keyValues(eventId));
}

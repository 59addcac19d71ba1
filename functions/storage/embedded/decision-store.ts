import type { ActionCommand } from '../../core/action-command.js';
import type { DecisionStore, StoredDecision } from '../../core/ports.js';
import { DECISION_RETENTION_DAYS } from '../../core/retention.js';
import type { RuleState } from '../../core/rule-set.js';
import { DecisionWrites, deciding } from '../decision-writes.js';
import type { EmbeddedDatabase, WriteTx } from './database.js';
import { type Expiry, expiresAfter, putExpiry, type RetainedKind } from './retention.js';
import { EmbeddedRuleState } from './rule-state.js';

/** The kind of DecisionWrites this store's decisions collect (counter-store.ts and episode-store.ts defer to it). */
export const EMBEDDED_DECISION = 'embedded';

/** A count deferred into the write that keeps the decision. */
export type DeferredWrite = (tx: WriteTx) => void;

/**
 * `decision/<event id>`: the first decision made for an event. With an `outbox`, the decision's commands go
 * on the actions queue inside the write that keeps it (`queued: true`), so a decision is never kept without
 * its commands, nor its commands sent twice. Kept DECISION_RETENTION_DAYS from `decidedAt`, as on DynamoDB.
 * `decideOnce` also writes the counts the evaluation made (spike minute counts, episode heartbeats) in that same
 * write, and only when the decision is the one kept: an event is counted exactly once.
 */
export interface EmbeddedDecisionStoreOptions {
  database: EmbeddedDatabase;
  /** Called inside the write that keeps a new decision, with its commands, to enqueue them in the same commit. */
  outbox?: (tx: WriteTx, commands: readonly ActionCommand[]) => void;
  /** The limits `decideOnce` decides on (default: the database's own, which every EmbeddedRuleState over it shares). */
  ruleState?: RuleState;
}

interface DecisionRecord {
  decision: StoredDecision;
  /** Present when the outbox enqueued the commands in the write that kept the decision. */
  queued?: true;
}

export class EmbeddedDecisionStore implements DecisionStore {
  private readonly db: EmbeddedDatabase;
  private readonly outbox: ((tx: WriteTx, commands: readonly ActionCommand[]) => void) | undefined;
  private ruleState: RuleState | undefined;

  constructor(options: EmbeddedDecisionStoreOptions) {
    if (!options?.database) throw new Error('EmbeddedDecisionStore: database is required');
    this.db = options.database;
    this.outbox = options.outbox;
    this.ruleState = options.ruleState;
    this.db.retain(DECISION_KIND);
  }

  /** Runs `decide` on the database's limits, and keeps its decision with the counts it made in one write. */
  async decideOnce(
    eventId: string,
    decide: (state: RuleState) => Promise<StoredDecision>,
  ): Promise<{ decision: StoredDecision; created: boolean; queued: boolean }> {
    this.ruleState ??= new EmbeddedRuleState({ database: this.db });
    const state = this.ruleState;
    const counts = new DecisionWrites<DeferredWrite>(EMBEDDED_DECISION);
    const decision = await deciding(counts, () => decide(state));
    if (decision.eventId !== eventId) throw new Error(`decideOnce(${eventId}) was handed the decision for ${decision.eventId}`);
    return this.keep(decision, counts.writes);
  }

  async get(eventId: string): Promise<(StoredDecision & { queued?: boolean }) | undefined> {
    const record = this.db.get<DecisionRecord>(decisionKey(eventId));
    if (!record || this.db.isExpired(decisionExpiry(record.decision).at)) return undefined;
    return record.queued ? { ...record.decision, queued: true } : record.decision;
  }

  /** One write, no read before it: keeps this decision unless one exists, and enqueues its commands with it. */
  putIfAbsent(decision: StoredDecision): Promise<{ decision: StoredDecision; created: boolean; queued: boolean }> {
    return this.keep(decision, []);
  }

  private keep(
    decision: StoredDecision,
    counts: readonly DeferredWrite[],
  ): Promise<{ decision: StoredDecision; created: boolean; queued: boolean }> {
    return this.db.write((tx) => {
      const existing = tx.get<DecisionRecord>(decisionKey(decision.eventId));
      if (existing) return { decision: existing.decision, created: false, queued: existing.queued === true };
      const queued = this.outbox !== undefined;
      const record: DecisionRecord = queued ? { decision, queued: true } : { decision };
      tx.put(decisionKey(decision.eventId), record);
      putExpiry(tx, decisionExpiry(decision));
      if (this.outbox && decision.commands.length > 0) this.outbox(tx, decision.commands);
      for (const count of counts) count(tx);
      return { decision, created: true, queued };
    });
  }
}

function decisionKey(eventId: string): string {
  return `decision/${eventId}`;
}

function decisionExpiry(decision: StoredDecision): Expiry {
  const key = decisionKey(decision.eventId);
  return { at: expiresAfter(decision.decidedAt, DECISION_RETENTION_DAYS), key, keys: [key] };
}

const DECISION_KIND: RetainedKind = {
  name: 'decisions',
  prefix: 'decision/',
  expiryOf: (_key, value) => {
    const decision = (value as Partial<DecisionRecord> | undefined)?.decision;
    return decision?.eventId && decision.decidedAt ? decisionExpiry(decision) : undefined;
  },
};

import type { ActionCommand } from '../../core/action-command.js';
import type { DecisionStore, StoredDecision } from '../../core/ports.js';
import { DECISION_RETENTION_DAYS } from '../../core/retention.js';
import type { EmbeddedDatabase, WriteTx } from './database.js';
import { type Expiry, expiresAfter, putExpiry, type RetainedKind } from './retention.js';

/**
 * `decision/<event id>`: the first decision made for an event. With an `outbox`, the decision's commands go
 * on the actions queue inside the write that keeps it (`queued: true`), so a decision is never kept without
 * its commands, nor its commands sent twice. Kept DECISION_RETENTION_DAYS from `decidedAt`, as on DynamoDB.
 */
export interface EmbeddedDecisionStoreOptions {
  database: EmbeddedDatabase;
  /** Called inside the write that keeps a new decision, with its commands, to enqueue them in the same commit. */
  outbox?: (tx: WriteTx, commands: readonly ActionCommand[]) => void;
}

interface DecisionRecord {
  decision: StoredDecision;
  /** Present when the outbox enqueued the commands in the write that kept the decision. */
  queued?: true;
}

export class EmbeddedDecisionStore implements DecisionStore {
  private readonly db: EmbeddedDatabase;
  private readonly outbox: ((tx: WriteTx, commands: readonly ActionCommand[]) => void) | undefined;

  constructor(options: EmbeddedDecisionStoreOptions) {
    if (!options?.database) throw new Error('EmbeddedDecisionStore: database is required');
    this.db = options.database;
    this.outbox = options.outbox;
    this.db.retain(DECISION_KIND);
  }

  async get(eventId: string): Promise<(StoredDecision & { queued?: boolean }) | undefined> {
    const record = this.db.get<DecisionRecord>(decisionKey(eventId));
    if (!record || this.db.isExpired(decisionExpiry(record.decision).at)) return undefined;
    return record.queued ? { ...record.decision, queued: true } : record.decision;
  }

  /** One write, no read before it: keeps this decision unless one exists, and enqueues its commands with it. */
  putIfAbsent(decision: StoredDecision): Promise<{ decision: StoredDecision; created: boolean; queued: boolean }> {
    return this.db.write((tx) => {
      const existing = tx.get<DecisionRecord>(decisionKey(decision.eventId));
      if (existing) return { decision: existing.decision, created: false, queued: existing.queued === true };
      const queued = this.outbox !== undefined;
      const record: DecisionRecord = queued ? { decision, queued: true } : { decision };
      tx.put(decisionKey(decision.eventId), record);
      putExpiry(tx, decisionExpiry(decision));
      if (this.outbox && decision.commands.length > 0) this.outbox(tx, decision.commands);
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

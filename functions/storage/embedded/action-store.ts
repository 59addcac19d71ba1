import type { ActionCommand } from '../../core/action-command.js';
import { actionRecordOf } from '../../core/action-record.js';
import type { ActionOutcomeRecord, ActionRecord, ActionStore, ClaimResult, CompletionEffects } from '../../core/ports.js';
import { ACTION_RETENTION_DAYS } from '../../core/retention.js';
import type { ActionListing } from '../../core/store-listings.js';
import { AUDIT_KIND, recordAuditIn } from './audit-log.js';
import type { EmbeddedDatabase } from './database.js';
import { addTagsIn } from './event-store.js';
import { type IndexPage, listIndexPage, listNewest } from './index-listing.js';
import { type Expiry, expiresAfter, expiryKey, putExpiry, type RetainedKind } from './retention.js';

/**
 * Action records in the embedded database, keyed by command id (`action/<id>`, listed through
 * `idx/actions/<createdAt>#<id>`). The same claim rules as the DynamoDB store (storage/dynamo/action-store.ts),
 * decided inside one write transaction instead of a condition expression: a redelivered command never acts
 * twice, and a completion folds the action's tags and audit line into the same commit. Kept
 * ACTION_RETENTION_DAYS from the latest claim, as DynamoDB's `ttl`: each claim moves the expiry entry (retention.ts).
 */
interface ActionItem extends ActionRecord {
  /** Epoch ms; only while in progress. */
  leaseUntil?: number;
  /** Epoch seconds: ACTION_RETENTION_DAYS after the latest claim (absent on records from before retention). */
  expiresAt?: number;
}

const ACTIONS_INDEX = 'idx/actions/';

export class EmbeddedActionStore implements ActionStore {
  private readonly db: EmbeddedDatabase;

  constructor(options: { database: EmbeddedDatabase }) {
    if (!options?.database) throw new Error('EmbeddedActionStore: database is required');
    this.db = options.database;
    this.db.retain(ACTION_KIND);
    // Completions record audit entries.
    this.db.retain(AUDIT_KIND);
  }

  private live(commandId: string): ActionRecord | undefined {
    const item = this.db.get<ActionItem>(actionKey(commandId));
    return item && !this.db.isExpired(actionExpiry(item).at) ? actionRecordOf(item) : undefined;
  }

  claim(command: ActionCommand, leaseMs: number, now: Date): Promise<ClaimResult> {
    const nowIso = now.toISOString();
    return this.db.write((tx): ClaimResult => {
      const existing = tx.get<ActionItem>(actionKey(command.id));
      // Claimable when new, after a failure, or when a previous claim's lease ran out (its worker died).
      const takeover = existing?.status === 'in-progress' && existing.leaseUntil !== undefined && existing.leaseUntil < now.getTime();
      if (existing && !takeover && existing.status !== 'retrying' && existing.status !== 'failed') {
        return existing.status === 'in-progress' ? 'busy' : 'completed';
      }
      const createdAt = existing?.createdAt ?? nowIso;
      const item: ActionItem = {
        ...existing,
        id: command.id,
        eventId: command.eventId,
        ruleId: command.ruleId,
        type: command.type,
        status: 'in-progress',
        attempts: (existing?.attempts ?? 0) + 1,
        createdAt,
        updatedAt: nowIso,
        leaseUntil: now.getTime() + leaseMs,
        expiresAt: expiresAfter(now, ACTION_RETENTION_DAYS),
      };
      tx.put(actionKey(command.id), item);
      if (!existing) tx.put(`${ACTIONS_INDEX}${createdAt}#${command.id}`, command.id);
      // The expiry moves with each claim: the earlier entry goes (a record from before retention has none, or a backfilled one).
      if (existing) tx.remove(expiryKey(actionExpiry(existing).at, actionKey(command.id)));
      putExpiry(tx, actionExpiry(item));
      return takeover ? 'reclaimed' : 'claimed';
    });
  }

  /** One write: the outcome, the event's tags and the audit entry (each applied once however often it is retried). */
  async complete(commandId: string, outcome: ActionOutcomeRecord, now: Date, effects?: CompletionEffects): Promise<void> {
    await this.db.write((tx) => {
      const existing = tx.get<ActionItem>(actionKey(commandId));
      if (!existing) throw new Error(`EmbeddedActionStore.complete: no action ${commandId} (it was never claimed)`);
      const { leaseUntil: _lease, mode: _mode, request: _request, externalId: _externalId, error: _error, ...kept } = existing;
      const item: ActionItem = {
        ...kept,
        status: outcome.status,
        updatedAt: now.toISOString(),
        ...(outcome.mode ? { mode: outcome.mode } : {}),
        ...(outcome.request ? { request: outcome.request } : {}),
        ...(outcome.externalId ? { externalId: outcome.externalId } : {}),
        ...(outcome.error ? { error: outcome.error } : {}),
      };
      tx.put(actionKey(commandId), item);
      const tags = effects?.tags;
      if (tags && tags.tags.length > 0 && !addTagsIn(tx, tags.eventId, tags.tags))
        throw new Error(`EmbeddedActionStore.complete: action ${commandId} tags event ${tags.eventId}, which is not stored`);
      if (effects?.audit) recordAuditIn(tx, effects.audit);
    });
  }

  async release(commandId: string, error: string, now: Date): Promise<void> {
    await this.db.write((tx) => {
      const existing = tx.get<ActionItem>(actionKey(commandId));
      // Only a claim in progress goes back to retrying; anything else stays as it is.
      if (existing?.status !== 'in-progress') return;
      const { leaseUntil: _lease, ...kept } = existing;
      tx.put(actionKey(commandId), { ...kept, status: 'retrying', updatedAt: now.toISOString(), error } satisfies ActionItem);
    });
  }

  async get(commandId: string): Promise<ActionRecord | undefined> {
    return this.live(commandId);
  }

  async listRecent(limit: number): Promise<ActionRecord[]> {
    return listNewest(this.db, ACTIONS_INDEX, (id: string) => this.live(id), limit);
  }

  /** One page of actions, newest first, filtered (index-listing.ts: the cursor never skips or repeats). */
  async listPage(query: ActionListing): Promise<IndexPage<ActionRecord>> {
    return listIndexPage(this.db, ACTIONS_INDEX, (id: string) => this.live(id), {
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
      ...(query.since ? { from: query.since } : {}),
      ...(query.until ? { before: query.until } : {}),
      fingerprint: query.fingerprint ?? '',
      keep: (record) =>
        // An event id is `<platform>:<native id>`.
        (query.platform === undefined || record.eventId.startsWith(`${query.platform}:`)) &&
        (query.status === undefined || record.status === query.status) &&
        (query.rule === undefined || record.ruleId === query.rule) &&
        (query.type === undefined || record.type === query.type),
    });
  }
}

function actionKey(commandId: string): string {
  return `action/${commandId}`;
}

/** The action and its listing go ACTION_RETENTION_DAYS after the latest claim (a record from before: after its last change). */
function actionExpiry(item: ActionItem): Expiry {
  const key = actionKey(item.id);
  return {
    at: item.expiresAt ?? expiresAfter(item.updatedAt, ACTION_RETENTION_DAYS),
    key,
    keys: [key, `${ACTIONS_INDEX}${item.createdAt}#${item.id}`],
  };
}

const ACTION_KIND: RetainedKind = {
  name: 'actions',
  prefix: 'action/',
  expiryOf: (_key, value) => {
    const item = value as Partial<ActionItem> | undefined;
    return item?.id && item.createdAt && item.updatedAt ? actionExpiry(item as ActionItem) : undefined;
  },
};

import type { Approval, ApprovalStatus, ApprovalStore } from '../../crisis/ports.js';
import { APPROVAL_RETENTION_DAYS } from '../../crisis/retention.js';
import type { EmbeddedDatabase } from './database.js';
import { type Expiry, expiresAfter, putExpiry, type RetainedKind } from './retention.js';

const ALL_PREFIX = 'crisis/approvals-all/';

function approvalKey(id: string): string {
  return `crisis/approval/${encodeURIComponent(id)}`;
}

function statusPrefix(status: ApprovalStatus): string {
  return `crisis/approvals/${status}/`;
}

/** `<createdAt>#<id>`: ISO times sort in time order, the id breaks ties. */
function listed(approval: Approval): string {
  return `${encodeURIComponent(approval.createdAt)}#${encodeURIComponent(approval.id)}`;
}

/**
 * The approval queue (`crisis/approval/<id>`), listed newest first by status (`crisis/approvals/<status>/…`)
 * and all together (`crisis/approvals-all/…`). Deciding is one transaction that finds the approval still
 * pending and moves it to its new status's listing, so one decision wins however many people click.
 * Kept APPROVAL_RETENTION_DAYS after its `expiresAt`, as on DynamoDB (the expiry entry names every status's listing).
 */
export class EmbeddedApprovalStore implements ApprovalStore {
  constructor(private readonly db: EmbeddedDatabase) {
    if (!db) throw new Error('EmbeddedApprovalStore: an EmbeddedDatabase is required');
    db.retain(APPROVAL_KIND);
  }

  private live(approval: Approval | undefined): Approval | undefined {
    return approval && !this.db.isExpired(approvalExpiry(approval).at) ? approval : undefined;
  }

  async putIfAbsent(approval: Approval): Promise<Approval> {
    const key = approvalKey(approval.id);
    const filed = this.db.get<Approval>(key);
    if (filed) return filed;
    return this.db.write((tx) => {
      const existing = tx.get<Approval>(key);
      if (existing) return existing;
      tx.put(key, approval);
      tx.put(`${statusPrefix(approval.status)}${listed(approval)}`, approval.id);
      tx.put(`${ALL_PREFIX}${listed(approval)}`, approval.id);
      putExpiry(tx, approvalExpiry(approval));
      return approval;
    });
  }

  async get(id: string): Promise<Approval | undefined> {
    return this.live(this.db.get<Approval>(approvalKey(id)));
  }

  async list(status: ApprovalStatus | undefined, limit: number): Promise<Approval[]> {
    return this.db
      .range<string>({ prefix: status ? statusPrefix(status) : ALL_PREFIX, reverse: true, limit })
      .map(({ value: id }) => this.live(this.db.get<Approval>(approvalKey(id))))
      .filter((approval): approval is Approval => approval !== undefined);
  }

  async decide(id: string, to: Exclude<ApprovalStatus, 'pending'>, by: string, note: string | undefined, now: Date): Promise<boolean> {
    const key = approvalKey(id);
    if (this.db.get<Approval>(key)?.status !== 'pending') return false;
    return this.db.write((tx) => {
      const approval = tx.get<Approval>(key);
      if (approval?.status !== 'pending') return false;
      const decided: Approval = {
        ...approval,
        status: to,
        decidedAt: now.toISOString(),
        decidedBy: by,
        ...(note ? { decisionNote: note } : {}),
      };
      tx.put(key, decided);
      tx.remove(`${statusPrefix(approval.status)}${listed(approval)}`);
      tx.put(`${statusPrefix(to)}${listed(decided)}`, id);
      return true;
    });
  }

  async markDispatched(id: string, now: Date): Promise<void> {
    const key = approvalKey(id);
    const undispatched = (approval: Approval | undefined): approval is Approval =>
      approval !== undefined && approval.dispatchedAt === undefined;
    if (!undispatched(this.db.get<Approval>(key))) return;
    await this.db.write((tx) => {
      const approval = tx.get<Approval>(key);
      if (undispatched(approval)) tx.put(key, { ...approval, dispatchedAt: now.toISOString() } satisfies Approval);
    });
  }
}

const STATUSES: readonly ApprovalStatus[] = ['pending', 'approved', 'rejected', 'expired'];

/** The approval, its listing and whichever status listing it is in (deciding moves it; the entry stays). */
function approvalExpiry(approval: Approval): Expiry {
  const key = approvalKey(approval.id);
  return {
    at: expiresAfter(approval.expiresAt, APPROVAL_RETENTION_DAYS),
    key,
    keys: [key, `${ALL_PREFIX}${listed(approval)}`, ...STATUSES.map((status) => `${statusPrefix(status)}${listed(approval)}`)],
  };
}

const APPROVAL_KIND: RetainedKind = {
  name: 'approvals',
  prefix: 'crisis/approval/',
  expiryOf: (_key, value) => {
    const approval = value as Partial<Approval> | undefined;
    return approval?.id && approval.createdAt && approval.expiresAt ? approvalExpiry(approval as Approval) : undefined;
  },
};

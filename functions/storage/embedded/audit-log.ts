import type { AuditEntry, AuditLog } from '../../crisis/ports.js';
import { AUDIT_RETENTION_DAYS } from '../../crisis/retention.js';
import type { EmbeddedDatabase, WriteTx } from './database.js';
import { type Expiry, expiresAfter, putExpiry, type RetainedKind } from './retention.js';

const BY_TIME_PREFIX = 'crisis/audit-at/';

function idKey(id: string): string {
  return `crisis/audit/${encodeURIComponent(id)}`;
}

/**
 * Records `entry` inside a transaction unless its id is recorded already; true when recorded. For a store
 * that folds an audit entry into its own write (an action's completion), so both commit together.
 */
export function recordAuditIn(tx: WriteTx, entry: AuditEntry): boolean {
  const key = idKey(entry.id);
  if (tx.get(key) !== undefined) return false;
  const listedAt = listedKey(entry);
  tx.put(key, listedAt);
  tx.put(listedAt, entry);
  putExpiry(tx, auditExpiry(entry));
  return true;
}

function listedKey(entry: AuditEntry): string {
  return `${BY_TIME_PREFIX}${encodeURIComponent(entry.at)}#${encodeURIComponent(entry.id)}`;
}

/** The entry and its id mark go AUDIT_RETENTION_DAYS after its `at`, as on DynamoDB. */
function auditExpiry(entry: AuditEntry): Expiry {
  const key = idKey(entry.id);
  return { at: expiresAfter(entry.at, AUDIT_RETENTION_DAYS), key, keys: [key, listedKey(entry)] };
}

export const AUDIT_KIND: RetainedKind = {
  name: 'audit',
  prefix: BY_TIME_PREFIX,
  expiryOf: (_key, value) => {
    const entry = value as Partial<AuditEntry> | undefined;
    return entry?.id && entry.at ? auditExpiry(entry as AuditEntry) : undefined;
  },
};

/**
 * The audit log: each entry listed by time (`crisis/audit-at/<at>#<id>`, read newest first in one range),
 * and its id marked (`crisis/audit/<id>`) so a retried step records it once.
 */
export class EmbeddedAuditLog implements AuditLog {
  constructor(private readonly db: EmbeddedDatabase) {
    if (!db) throw new Error('EmbeddedAuditLog: an EmbeddedDatabase is required');
    db.retain(AUDIT_KIND);
  }

  async record(entry: AuditEntry): Promise<void> {
    if (this.db.get(idKey(entry.id)) !== undefined) return;
    await this.db.write((tx) => recordAuditIn(tx, entry));
  }

  async list(limit: number): Promise<AuditEntry[]> {
    return this.db
      .range<AuditEntry>({ prefix: BY_TIME_PREFIX, reverse: true, limit })
      .map(({ value }) => value)
      .filter((entry) => !this.db.isExpired(auditExpiry(entry).at));
  }
}

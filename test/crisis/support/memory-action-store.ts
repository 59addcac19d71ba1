import type { ActionRecord, ActionStore, AuditRecord } from '../../../functions/core/ports.js';

/**
 * The act path's claim bookkeeping in memory, with the same lease rules as the DynamoDB store (both run
 * test/core/action-store-contract.ts): a command id runs once; an expired in-progress claim is `reclaimed`.
 * A completion's effects go where `effectsTo` says (its audit line to an audit log, its tags to a list).
 */
export function memoryActionStore(
  effectsTo: { audit?: { record(entry: AuditRecord): Promise<void> }; tags?: Array<{ eventId: string; tags: string[] }> } = {},
): ActionStore & { records: Map<string, ActionRecord> } {
  const records = new Map<string, ActionRecord>();
  const leases = new Map<string, number>();
  return {
    records,
    async claim(command, leaseMs, now) {
      const existing = records.get(command.id);
      const expired = existing?.status === 'in-progress' && (leases.get(command.id) ?? 0) < now.getTime();
      if (existing && existing.status !== 'retrying' && existing.status !== 'failed' && !expired) {
        return existing.status === 'in-progress' ? 'busy' : 'completed';
      }
      records.set(command.id, {
        id: command.id,
        eventId: command.eventId,
        ruleId: command.ruleId,
        type: command.type,
        status: 'in-progress',
        attempts: (existing?.attempts ?? 0) + 1,
        createdAt: existing?.createdAt ?? now.toISOString(),
        updatedAt: now.toISOString(),
      });
      leases.set(command.id, now.getTime() + leaseMs);
      return expired ? 'reclaimed' : 'claimed';
    },
    async complete(id, outcome, now, effects) {
      const record = records.get(id);
      if (!record) throw new Error(`memoryActionStore: no action '${id}' to complete`);
      if (effects?.audit) await effectsTo.audit?.record(effects.audit);
      if (effects?.tags) effectsTo.tags?.push(effects.tags);
      for (const key of ['mode', 'request', 'externalId', 'error'] as const) delete record[key];
      Object.assign(record, Object.fromEntries(Object.entries(outcome).filter(([, value]) => value !== undefined)), {
        updatedAt: now.toISOString(),
      });
      leases.delete(id);
    },
    async release(id, error, now) {
      const record = records.get(id);
      if (record?.status !== 'in-progress') return;
      Object.assign(record, { status: 'retrying', error, updatedAt: now.toISOString() });
      leases.delete(id);
    },
    async get(id) {
      return records.get(id);
    },
    async listRecent(limit) {
      return [...records.values()].reverse().slice(0, limit);
    },
  };
}

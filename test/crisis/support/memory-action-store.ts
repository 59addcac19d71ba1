import type { ActionRecord, ActionStore } from '../../../functions/core/ports.js';

/** The act path's claim bookkeeping in memory (the DynamoDB one is tested in test/storage): a command id runs once. */
export function memoryActionStore(): ActionStore & { records: Map<string, ActionRecord> } {
  const records = new Map<string, ActionRecord>();
  return {
    records,
    async claim(command, _lease, now) {
      const existing = records.get(command.id);
      if (existing && existing.status !== 'retrying' && existing.status !== 'failed')
        return existing.status === 'in-progress' ? 'busy' : 'completed';
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
      return 'claimed';
    },
    async complete(id, outcome) {
      Object.assign(records.get(id)!, outcome);
    },
    async release(id, error) {
      Object.assign(records.get(id)!, { status: 'retrying', error });
    },
    async get(id) {
      return records.get(id);
    },
    async listRecent() {
      return [...records.values()].reverse();
    },
  };
}

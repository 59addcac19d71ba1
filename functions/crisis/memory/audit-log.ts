import type { AuditEntry, AuditLog } from '../ports.js';

export function memoryAuditLog(): AuditLog & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  const ids = new Set<string>();
  return {
    entries,
    async record(entry) {
      if (ids.has(entry.id)) return;
      ids.add(entry.id);
      entries.push(structuredClone(entry));
    },
    async list(limit) {
      return [...entries]
        .reverse()
        .sort((a, b) => b.at.localeCompare(a.at))
        .slice(0, limit);
    },
  };
}

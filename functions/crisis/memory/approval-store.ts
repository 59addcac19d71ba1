import type { Approval, ApprovalStore } from '../ports.js';

export function memoryApprovalStore(): ApprovalStore {
  const approvals = new Map<string, Approval>();
  return {
    async putIfAbsent(approval) {
      const existing = approvals.get(approval.id);
      if (existing) return structuredClone(existing);
      approvals.set(approval.id, structuredClone(approval));
      return structuredClone(approval);
    },
    async get(id) {
      const approval = approvals.get(id);
      return approval ? structuredClone(approval) : undefined;
    },
    async list(status, limit) {
      return [...approvals.values()]
        .filter((approval) => status === undefined || approval.status === status)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .slice(0, limit)
        .map((approval) => structuredClone(approval));
    },
    async markDispatched(id, now) {
      const approval = approvals.get(id);
      if (approval && approval.dispatchedAt === undefined) approval.dispatchedAt = now.toISOString();
    },
    async decide(id, to, by, note, now) {
      const approval = approvals.get(id);
      if (approval?.status !== 'pending') return false;
      Object.assign(approval, { status: to, decidedAt: now.toISOString(), decidedBy: by, ...(note ? { decisionNote: note } : {}) });
      return true;
    },
  };
}

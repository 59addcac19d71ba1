/** How long the crisis records are kept, whatever the store (see core/retention.ts), in days. */
/** Audit entries: from their `at`. */
export const AUDIT_RETENTION_DAYS = 400;
/** Approvals: from their `expiresAt`. */
export const APPROVAL_RETENTION_DAYS = 90;
/** SLA timers (settled or not) and their conversation entries: from `dueAt`. */
export const TIMER_RETENTION_DAYS = 30;

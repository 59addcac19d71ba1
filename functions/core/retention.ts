/**
 * How long the pipeline's records are kept, whatever the store (DynamoDB's `ttl`, the embedded store's
 * expiry index and sweep): counted from the record's own time, in days.
 */
/** Events, their raw payloads and quarantined deliveries: from `receivedAt`. */
export const EVENT_RETENTION_DAYS = 90;
/** Action records: from their latest claim. */
export const ACTION_RETENTION_DAYS = 90;
/** Decisions: from `decidedAt`. */
export const DECISION_RETENTION_DAYS = 14;

export const DAY_SECONDS = 86_400;

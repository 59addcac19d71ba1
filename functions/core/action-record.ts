import type { ActionRecord } from './ports.js';

/**
 * The record as the port answers it from an item a store keeps (which may carry more: a lease, an expiry): only the
 * record's fields, none empty.
 */
export function actionRecordOf(item: ActionRecord | undefined): ActionRecord | undefined {
  if (!item) return undefined;
  const record: ActionRecord = {
    id: item.id,
    eventId: item.eventId,
    ruleId: item.ruleId,
    type: item.type,
    status: item.status,
    attempts: item.attempts,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
  if (item.mode) record.mode = item.mode;
  if (item.request) record.request = item.request;
  if (item.externalId) record.externalId = item.externalId;
  if (item.error) record.error = item.error;
  return record;
}

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

export function toItem(value: Record<string, unknown>): Record<string, AttributeValue> {
  return marshall(value, { removeUndefinedValues: true, convertClassInstanceToMap: true });
}

export function fromItem<T>(item: Record<string, AttributeValue> | undefined): T | undefined {
  return item === undefined ? undefined : (unmarshall(item) as T);
}

/** True for the error a failed ConditionExpression raises (dynalite and DynamoDB alike). */
export function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error instanceof Error && error.name === 'ConditionalCheckFailedException');
}

/** True when an item with a `ttl` attribute has expired (dynalite has no TTL, so reads filter). */
export function isExpired(item: { ttl?: number } | undefined, now: Date): boolean {
  return item?.ttl !== undefined && item.ttl * 1000 <= now.getTime();
}

/**
 * The cancellation codes of a TransactWriteItems the table refused (`ConditionalCheckFailed`, `TransactionConflict`,
 * `None` for the items that were fine), one per item in order; undefined for any other error.
 */
export function transactionCancellation(error: unknown): string[] | undefined {
  return transactionCancellationReasons(error)?.map((reason) => reason.code);
}

/** As transactionCancellation, with the item each refused condition returned (ReturnValuesOnConditionCheckFailure: ALL_OLD). */
export function transactionCancellationReasons(error: unknown): Array<{ code: string; item?: Record<string, AttributeValue> }> | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons =
    (error as { CancellationReasons?: Array<{ Code?: string; Item?: Record<string, AttributeValue> }> }).CancellationReasons ?? [];
  return reasons.map((reason) => ({ code: reason.Code ?? 'None', ...(reason.Item ? { item: reason.Item } : {}) }));
}

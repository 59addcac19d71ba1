import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { fromItem, toItem } from './item.js';
import { TABLE_KEYS } from './table.js';

export interface IndexQueryOptions {
  /** Stop after this many items (all when absent). */
  limit?: number;
  /** Newest first: the gsi1 sort keys start with an ISO time. */
  newestFirst?: boolean;
}

/**
 * Every item of one gsi1 partition, paging until `limit`. Each base item is returned once: an index
 * entry can outlive a lost base write (the embedded DynamoDB killed mid-write), and the first entry
 * read for a key (the newest, when newest first) wins.
 */
export async function queryIndexPartition<T>(
  client: DynamoDBClient,
  tableName: string,
  partition: string,
  options: IndexQueryOptions = {},
): Promise<T[]> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const results: T[] = [];
  const seen = new Set<string>();
  let exclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: TABLE_KEYS.gsi1.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.gsi1.partitionKey },
        ExpressionAttributeValues: toItem({ ':pk': partition }),
        ScanIndexForward: !options.newestFirst,
        Limit: Math.min(1000, limit - results.length),
        ExclusiveStartKey: exclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const key = `${item.pk?.S}\u0000${item.sk?.S}`;
      if (seen.has(key)) continue;
      seen.add(key);
      results.push(fromItem<T>(item) as T);
    }
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey && results.length < limit);
  return results;
}

/** Newest-first items of one gsi1 partition, up to `limit`. */
export function queryNewest<T>(client: DynamoDBClient, tableName: string, partition: string, limit: number): Promise<T[]> {
  return queryIndexPartition<T>(client, tableName, partition, { limit, newestFirst: true });
}

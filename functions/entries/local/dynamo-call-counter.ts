import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);
const READS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'ScanCommand', 'TransactGetItemsCommand']);

/** What the runtime has asked of its DynamoDB since it started: each write call is its own commit there. */
export interface DynamoCallCounts {
  writes: number;
  reads: number;
}

/**
 * Counts the client's write and read calls (a middleware on the client, so every store built on it is
 * counted), for `/health` on the DynamoDB store. A call counts once, retries included in it.
 */
export function countDynamoCalls(client: DynamoDBClient): Readonly<DynamoCallCounts> {
  const counts: DynamoCallCounts = { writes: 0, reads: 0 };
  client.middlewareStack.add(
    (next, context) => (args) => {
      const command = context.commandName ?? '';
      if (WRITES.has(command)) counts.writes += 1;
      else if (READS.has(command)) counts.reads += 1;
      return next(args);
    },
    { step: 'initialize', name: 'foghornCallCounter' },
  );
  return counts;
}

import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** DynamoDB's item reads and writes, by command name: what a request costs. */
const READS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'ScanCommand', 'TransactGetItemsCommand']);
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

/** One command as sent: its name and the partition keys (`pk`) it touches, the kind of item before the `#`. */
export interface DynamoCall {
  command: string;
  keys: string[];
  /** A transaction's items, each as its operation and partition key (`Put DECISION#…`, `ConditionCheck CRISIS`). */
  items?: string[];
}

export interface DynamoCalls {
  /** Every command sent since the count started, in order. */
  readonly calls: DynamoCall[];
  /** Their names, in order. */
  readonly names: string[];
  writes(): string[];
  reads(): string[];
  /** Starts again from none. */
  reset(): void;
  /** Takes the counting middleware off the client. */
  stop(): void;
}

/**
 * Counts the commands a real DynamoDBClient sends, with a middleware on its stack: the stores run exactly as
 * they do on AWS, and the count sees each call once, before the SDK's retries (a retry is not a second call).
 */
export function countDynamoCalls(client: DynamoDBClient): DynamoCalls {
  const calls: DynamoCall[] = [];
  const names: string[] = [];
  const name = `foghorn-count-${Math.random().toString(36).slice(2)}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'UnknownCommand';
      const input = args.input as Input;
      calls.push({ command, keys: keysOf(input), ...(input.TransactItems ? { items: itemsOf(input) } : {}) });
      names.push(command);
      return next(args);
    },
    { step: 'initialize', name },
  );
  return {
    calls,
    names,
    writes: () => names.filter((command) => WRITES.has(command)),
    reads: () => names.filter((command) => READS.has(command)),
    reset: () => {
      calls.length = 0;
      names.length = 0;
    },
    stop: () => {
      client.middlewareStack.remove(name);
    },
  };
}

type Item = Record<string, AttributeValue> | undefined;
interface Input {
  Key?: Item;
  Item?: Item;
  ExpressionAttributeValues?: Item;
  IndexName?: string;
  TransactItems?: Array<Record<string, { Key?: Item; Item?: Item } | undefined>>;
}

function keysOf(input: Input): string[] {
  const pk = (item: Item) => item?.pk?.S;
  if (input.TransactItems)
    return input.TransactItems.flatMap((entry) => Object.values(entry).map((part) => pk(part?.Key) ?? pk(part?.Item) ?? '?'));
  const direct = pk(input.Key) ?? pk(input.Item);
  if (direct) return [direct];
  const queried = input.ExpressionAttributeValues?.[':pk']?.S;
  return queried ? [input.IndexName ? `${input.IndexName}:${queried}` : queried] : [];
}

function itemsOf(input: Input): string[] {
  return (input.TransactItems ?? []).flatMap((entry) =>
    Object.entries(entry).map(([operation, part]) => `${operation} ${part?.Key?.pk?.S ?? part?.Item?.pk?.S ?? '?'}`),
  );
}

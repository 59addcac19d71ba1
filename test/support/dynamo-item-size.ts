import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';

/**
 * An item's size as DynamoDB counts it against its 400 KB limit: each attribute's name in UTF-8 bytes plus its
 * value; strings in UTF-8 bytes, binaries in bytes, numbers one byte per two significant digits plus one, booleans
 * and nulls one byte, lists and maps 3 bytes plus one per element (a map's keys counted as names), sets their
 * elements. (docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html)
 */
export function dynamoItemBytes(item: Record<string, AttributeValue>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) bytes += utf8(name) + valueBytes(value);
  return bytes;
}

/** The largest item in the table, with its key, after scanning it whole. */
export async function largestItem(client: DynamoDBClient, tableName: string): Promise<{ key: string; bytes: number; count: number }> {
  let largest = { key: '', bytes: 0, count: 0 };
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      largest.count++;
      const bytes = dynamoItemBytes(item);
      if (bytes > largest.bytes) largest = { key: `${item.pk?.S} / ${item.sk?.S}`, bytes, count: largest.count };
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return largest;
}

function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberBytes(value.N);
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + utf8(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + numberBytes(n), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, b) => sum + b.length, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, element) => sum + 1 + valueBytes(element), 0);
  if (value.M !== undefined)
    return 3 + Object.entries(value.M).reduce((sum, [key, element]) => sum + 1 + utf8(key) + valueBytes(element), 0);
  throw new Error(`dynamoItemBytes: an attribute value of no known type (${Object.keys(value).join(', ')})`);
}

function numberBytes(n: string): number {
  const digits = n.replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

function utf8(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

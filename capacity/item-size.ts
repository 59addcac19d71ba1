import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * An item's size as DynamoDB bills it, and the request units a read or write of it costs, by the rules of
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html (sizes) and
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html (units):
 * a string is its name's UTF-8 bytes plus its own; a number its name plus one byte per two significant digits
 * plus one; binary its name plus its raw bytes; null and booleans their name plus one; a list or map its name,
 * 3 bytes and its elements, each element one byte more. A write is 1 WRU per started KB, a read 1 RRU per
 * started 4 KB (half when eventually consistent), a transactional request twice that.
 */

export type Item = Record<string, AttributeValue>;

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** Bytes of one attribute value, without its name. */
export function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  // Bytes as the SDK holds them, or base64 as they travel (the in-process DynamoDB keeps the wire form).
  if (value.B !== undefined) return binarySize(value.B);
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, text) => sum + utf8(text), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, number) => sum + numberSize(number), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, bytes) => sum + binarySize(bytes), 0);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, element) => sum + 1 + valueSize(element), 0);
  if (value.M !== undefined)
    return 3 + Object.entries(value.M).reduce((sum, [name, element]) => sum + 1 + utf8(name) + valueSize(element), 0);
  throw new Error(`item size: an attribute value of no known type (${Object.keys(value).join(', ') || 'empty'})`);
}

function binarySize(bytes: Uint8Array | string): number {
  return typeof bytes === 'string' ? Buffer.from(bytes, 'base64').byteLength : bytes.byteLength;
}

/** One byte per two significant digits (leading and trailing zeros trimmed) plus one. */
export function numberSize(number: string): number {
  const digits = number
    .replace(/^-/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** Bytes of a whole item: each attribute's name and value. */
export function itemSize(item: Item | undefined): number {
  if (item === undefined) return 0;
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += utf8(name) + valueSize(value);
  return size;
}

/** WRU of writing `bytes`: one per started KB, at least one; twice that in a transaction. */
export function writeUnits(bytes: number, transactional = false): number {
  return Math.max(1, Math.ceil(bytes / 1024)) * (transactional ? 2 : 1);
}

export type ReadConsistency = 'eventual' | 'strong' | 'transactional';

/** RRU of reading `bytes`: one per started 4 KB, at least one; half when eventually consistent, twice in a transaction. */
export function readUnits(bytes: number, consistency: ReadConsistency): number {
  const blocks = Math.max(1, Math.ceil(bytes / 4096));
  return consistency === 'eventual' ? blocks / 2 : consistency === 'strong' ? blocks : blocks * 2;
}

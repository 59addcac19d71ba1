import { describe, expect, it } from 'vitest';
import { itemSize, numberSize, readUnits, valueSize, writeUnits } from '../../capacity/item-size.js';

/**
 * Item sizes by https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html,
 * units by https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html and the
 * worked examples of https://aws.amazon.com/dynamodb/pricing/provisioned/ ("Key terms").
 */
describe('item size', () => {
  it('a string is its name and its UTF-8 bytes', () => {
    expect(itemSize({ pk: { S: 'EVENT#1' } })).toBe(2 + 7);
    // "é" is two bytes in UTF-8, "💬" four.
    expect(itemSize({ text: { S: 'é💬' } })).toBe(4 + 6);
  });

  it('a number is one byte per two significant digits, plus one; leading and trailing zeros do not count', () => {
    expect(numberSize('7')).toBe(2);
    expect(numberSize('12345')).toBe(4);
    expect(numberSize('-0012300')).toBe(numberSize('123'));
    expect(numberSize('1.5')).toBe(2);
    expect(itemSize({ ttl: { N: '1796205601' } })).toBe(3 + 6);
  });

  it('binary is its raw bytes, whether held as bytes or as base64 on the wire', () => {
    const bytes = new Uint8Array(300);
    expect(valueSize({ B: bytes })).toBe(300);
    expect(valueSize({ B: Buffer.from(bytes).toString('base64') as unknown as Uint8Array })).toBe(300);
  });

  it('null and booleans are one byte; a list or map is 3 bytes and one byte per element', () => {
    expect(itemSize({ on: { BOOL: true }, none: { NULL: true } })).toBe(2 + 1 + 4 + 1);
    expect(valueSize({ L: [] })).toBe(3);
    expect(valueSize({ L: [{ S: 'ab' }, { N: '1' }] })).toBe(3 + (1 + 2) + (1 + 2));
    // A map's element names count too.
    expect(valueSize({ M: { k: { S: 'v' } } })).toBe(3 + 1 + 1 + 1);
    expect(valueSize({ SS: ['a', 'bc'] })).toBe(3);
  });
});

describe('request units', () => {
  it('a write is 1 WRU per started KB, at least one; a transactional one twice that', () => {
    expect(writeUnits(0)).toBe(1);
    expect(writeUnits(1024)).toBe(1);
    expect(writeUnits(1025)).toBe(2);
    // "a standard write request of a 3 KB item would require three WCUs, a transactional … six"
    expect(writeUnits(3 * 1024)).toBe(3);
    expect(writeUnits(3 * 1024, true)).toBe(6);
  });

  it('a read is 1 RRU per started 4 KB, half when eventually consistent, twice in a transaction', () => {
    // "a strongly consistent read of an 8 KB item would require two RCUs, an eventually consistent … one, a transactional … four"
    expect(readUnits(8 * 1024, 'strong')).toBe(2);
    expect(readUnits(8 * 1024, 'eventual')).toBe(1);
    expect(readUnits(8 * 1024, 'transactional')).toBe(4);
    // "reading a 3,500-byte item consumes the same throughput as reading a 4 KB item"; a missing item still costs one.
    expect(readUnits(3500, 'strong')).toBe(1);
    expect(readUnits(0, 'strong')).toBe(1);
    expect(readUnits(0, 'eventual')).toBe(0.5);
  });
});

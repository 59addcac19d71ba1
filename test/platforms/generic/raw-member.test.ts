import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rawTopLevelMember } from '../../../functions/platforms/generic/raw-member.js';

describe('rawTopLevelMember', () => {
  it('finds the source text of a top-level member in any JSON object, however it is spaced', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue(), fc.constantFrom(0, 2, '\t'), (rest, id, space) => {
        const json = JSON.stringify({ ...rest, id }, null, space);
        const raw = rawTopLevelMember(json, 'id');
        expect(raw).toBeDefined();
        expect(JSON.parse(raw as string)).toEqual(JSON.parse(JSON.stringify(id)));
      }),
    );
  });

  it('keeps the digits JSON.parse would round, takes the last of duplicate keys, and ignores nested members', () => {
    expect(rawTopLevelMember('{"meta":{"id":1},"id":9007199254740993}', 'id')).toBe('9007199254740993');
    expect(rawTopLevelMember('{"id":1,"text":"\\"id\\":2","id":12345678901234567890}', 'id')).toBe('12345678901234567890');
    expect(rawTopLevelMember('{"meta":{"id":1}}', 'id')).toBeUndefined();
    expect(rawTopLevelMember('{"\\u0069d": 42 }', 'id')).toBe('42');
  });
});

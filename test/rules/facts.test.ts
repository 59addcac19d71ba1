import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { canonicalEventSchema } from '../../functions/core/event.js';
import { EVENT_FIELDS, isKnownFact, OPEN_FACT_PREFIXES } from '../../functions/rules/facts.js';

/** Every dotted field of a zod schema, in shape order, and the prefixes of its records. */
function fieldsOf(schema: z.ZodType, prefix = '', fields: string[] = [], open: string[] = []): { fields: string[]; open: string[] } {
  let inner = schema;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault || inner instanceof z.ZodNullable)
    inner = inner.unwrap() as z.ZodType;
  if (inner instanceof z.ZodObject) {
    if (prefix !== '') fields.push(prefix);
    for (const [key, child] of Object.entries(inner.shape as Record<string, z.ZodType>)) {
      fieldsOf(child, prefix === '' ? key : `${prefix}.${key}`, fields, open);
    }
  } else {
    fields.push(prefix);
    if (inner instanceof z.ZodRecord) open.push(`${prefix}.`);
  }
  return { fields, open };
}

describe('facts', () => {
  it("names exactly the canonical event schema's fields, so a new event field is a fact at once", () => {
    const fromSchema = fieldsOf(canonicalEventSchema);
    expect([...EVENT_FIELDS]).toEqual(fromSchema.fields);
    expect([...OPEN_FACT_PREFIXES]).toEqual(fromSchema.open);
  });

  it('knows nested and open fields, not made-up ones', () => {
    expect(isKnownFact('author.followers')).toBe(true);
    expect(isKnownFact('meta.chatType')).toBe(true);
    expect(isKnownFact('meta.')).toBe(false);
    expect(isKnownFact('author.age')).toBe(false);
    expect(isKnownFact('localHour')).toBe(true);
  });
});

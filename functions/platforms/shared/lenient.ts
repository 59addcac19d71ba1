import { z } from 'zod';

/**
 * Schemas for reading platform payloads: a field is taken when it has the expected type and read as
 * undefined otherwise, so an odd value can never crash normalising. Fields an event cannot do without are
 * then checked by the connector, which names what is missing (NormaliseError → quarantine).
 */
export function lenient<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

export const lenientString = lenient(z.string());
export const lenientNumber = lenient(z.number());
export const lenientBoolean = lenient(z.boolean());

/** An array whose malformed items are dropped, and which reads as undefined when it is not an array. */
export function lenientArray<T extends z.ZodType>(item: T) {
  return lenient(
    z.array(z.unknown()).transform((items) =>
      items.flatMap((value) => {
        const parsed = item.safeParse(value);
        return parsed.success ? [parsed.data as z.output<T>] : [];
      }),
    ),
  );
}

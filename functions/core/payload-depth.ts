/**
 * How deeply a delivery may nest objects and arrays. Documented platform payloads stay near 12 levels (X's
 * quoted retweets are the deepest); DynamoDB refuses items nested beyond 32, and the event is kept one level
 * down in its item. Deeper input can never be stored, so it is refused once (422, quarantined) rather than
 * failing with a 5xx that the platform would redeliver for ever.
 */
export const MAX_PAYLOAD_DEPTH = 24;

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The deepest nesting of objects and arrays in a JSON text, read in one pass without parsing it (`{}` is 1). */
export function jsonNestingDepth(raw: Buffer): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < raw.length; index++) {
    const byte = raw[index];
    if (inString) {
      if (byte === BACKSLASH) index++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
    }
  }
  return deepest;
}

/**
 * The dotted path at which `value` nests deeper than `limit` levels (the value itself counts as 1 when it
 * is an object or array), or undefined when it stays within. Stops descending at the limit, so it is cheap
 * and safe on any input.
 */
export function pathDeeperThan(value: unknown, limit: number, path: readonly string[] = []): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (limit <= 0) return path.join('.');
  for (const [key, child] of Object.entries(value)) {
    const found = pathDeeperThan(child, limit - 1, [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

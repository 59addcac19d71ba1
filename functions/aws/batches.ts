/**
 * Splits items into request-sized batches: at most `maxCount` items and, where possible, at most
 * `maxBytes` per batch. An item larger than `maxBytes` on its own travels alone, so the service
 * (not this packer) decides whether it fits; callers refuse items above the service's hard ceiling first.
 * Order is kept, so a batch that fails names a contiguous run of the caller's items.
 */
export function packBatches<T>(items: readonly T[], sizeOf: (item: T) => number, limits: { maxCount: number; maxBytes: number }): T[][] {
  if (!(limits.maxCount >= 1)) throw new RangeError(`packBatches: maxCount must be at least 1, got ${limits.maxCount}`);
  const batches: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const item of items) {
    const bytes = sizeOf(item);
    if (current.length > 0 && (current.length >= limits.maxCount || currentBytes + bytes > limits.maxBytes)) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

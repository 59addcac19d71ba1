import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * How both stores keep a delivery's raw payload: bodies over RAW_COMPRESS_MIN_BYTES gzipped when that makes them
 * smaller (JSON webhooks shrink 4–10 times), the rest as they came. A DynamoDB write costs one unit per KB and the
 * payload is kept for the event's retention (and under point-in-time recovery), so a 256 KB body that would be
 * 256 units is typically 30–60. A stored body says how it was kept (`encoding`); one with none, every body stored
 * before compression among them, is read as it is.
 */

/** Under this a body is stored as it came: gzip's header and the CPU buy almost nothing. */
export const RAW_COMPRESS_MIN_BYTES = 2 * 1024;

export type RawEncoding = 'gzip';

export interface PackedRawBody {
  body: Buffer;
  /** Absent: the body as received. */
  encoding?: RawEncoding;
}

/** The body as a store keeps it: gzipped when it is over RAW_COMPRESS_MIN_BYTES and gzip makes it smaller. */
export function packRawBody(body: Buffer): PackedRawBody {
  if (body.length <= RAW_COMPRESS_MIN_BYTES) return { body };
  const compressed = gzipSync(body);
  return compressed.length < body.length ? { body: compressed, encoding: 'gzip' } : { body };
}

/** The body as received, from what a store kept (`encoding` absent on bodies stored as they came). */
export function unpackRawBody(body: Uint8Array, encoding: string | undefined): Buffer {
  if (encoding === undefined) return Buffer.from(body);
  if (encoding === 'gzip') return gunzipSync(body);
  throw new Error(`a stored raw payload has the unknown encoding '${encoding}' (known: gzip)`);
}

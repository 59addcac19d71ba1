import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { packRawBody, RAW_COMPRESS_MIN_BYTES, unpackRawBody } from '../../functions/storage/raw-body.js';

/** A JSON webhook of exactly `bytes` bytes (compressible, as real ones are). */
function jsonBody(bytes: number): Buffer {
  const bare = JSON.stringify({ text: '' });
  return Buffer.from(JSON.stringify({ text: 'hello '.repeat(bytes).slice(0, bytes - bare.length) }));
}

describe('packRawBody / unpackRawBody', () => {
  it('keeps a body of exactly the threshold as it came, and gzips one a byte over', () => {
    const at = jsonBody(RAW_COMPRESS_MIN_BYTES);
    const over = jsonBody(RAW_COMPRESS_MIN_BYTES + 1);
    expect(at.length).toBe(RAW_COMPRESS_MIN_BYTES);
    expect(packRawBody(at)).toEqual({ body: at });

    const packed = packRawBody(over);
    expect(packed.encoding).toBe('gzip');
    expect(packed.body.length).toBeLessThan(over.length / 4);
    expect(unpackRawBody(packed.body, packed.encoding)).toEqual(over);
  });

  it('keeps a body that gzip would not shrink as it came', () => {
    const noise = randomBytes(RAW_COMPRESS_MIN_BYTES * 4);
    expect(gzipSync(noise).length).toBeGreaterThanOrEqual(noise.length);
    expect(packRawBody(noise)).toEqual({ body: noise });
  });

  it('gives back unicode text byte for byte', () => {
    const text = Buffer.from(JSON.stringify({ text: 'سلام 🚀 漢字 ж '.repeat(5000) }), 'utf8');
    const packed = packRawBody(text);
    expect(packed.encoding).toBe('gzip');
    const unpacked = unpackRawBody(new Uint8Array(packed.body), packed.encoding);
    expect(unpacked.equals(text)).toBe(true);
    expect(unpacked.toString('utf8')).toBe(text.toString('utf8'));
  });

  it('reads a body stored before compression (no encoding) as it is, and names an unknown encoding', () => {
    const legacy = new Uint8Array(jsonBody(10_000));
    expect(unpackRawBody(legacy, undefined)).toEqual(Buffer.from(legacy));
    expect(() => unpackRawBody(legacy, 'zstd')).toThrow(/unknown encoding 'zstd'/);
  });
});

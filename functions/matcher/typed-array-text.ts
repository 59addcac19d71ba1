/**
 * Typed arrays as base64 text, for an index saved in a JSON file: a tenth of the size of number lists and decoded
 * by one copy. The bytes are the platform's order; every machine Foghorn runs on (x86-64, arm64) is little-endian.
 */
export function int32ToText(array: Int32Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

export function int32FromText(text: string): Int32Array<ArrayBuffer> {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength % 4 !== 0) throw new Error('an Int32Array in base64 needs a multiple of 4 bytes');
  const array = new Int32Array(bytes.byteLength / 4);
  new Uint8Array(array.buffer).set(bytes);
  return array;
}

export function uint16ToText(array: Uint16Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

export function uint16FromText(text: string): Uint16Array<ArrayBuffer> {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength % 2 !== 0) throw new Error('a Uint16Array in base64 needs a multiple of 2 bytes');
  const array = new Uint16Array(bytes.byteLength / 2);
  new Uint8Array(array.buffer).set(bytes);
  return array;
}

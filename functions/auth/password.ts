import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { PasswordHashError } from './errors.js';

/**
 * Console passwords, stored as `scrypt$N=131072,r=8,p=1$<salt>$<hash>` (salt and hash in base64url) in
 * foghorn.config.yaml. The parameters travel with the hash so they can be raised later without breaking the
 * users already configured. The default is OWASP's scrypt floor (N=2^17, r=8, p=1): about 128 MB and a third
 * of a second per check, paid at sign-in only, never per request.
 */

export interface ScryptCost {
  /** CPU and memory cost, a power of two. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
}

export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Bounds on what a config may ask of the runtime: a hash outside them is refused rather than computed. */
const LIMITS = { minN: 2 ** 14, maxN: 2 ** 20, maxR: 32, maxP: 16, maxMemoryBytes: 1024 ** 3 };
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export interface PasswordHash {
  cost: ScryptCost;
  salt: Buffer;
  hash: Buffer;
}

export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  checkCost(cost);
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, KEY_BYTES, cost);
  return `scrypt$N=${cost.N},r=${cost.r},p=${cost.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** True when `password` is the one `encoded` was made from; the comparison takes the same time wherever the first difference is. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const { cost, salt, hash } = parsePasswordHash(encoded);
  const candidate = await derive(password, salt, hash.length, cost);
  return timingSafeEqual(candidate, hash);
}

/** Reads `scrypt$N=…,r=…,p=…$<salt>$<hash>`; PasswordHashError says which part is wrong. */
export function parsePasswordHash(encoded: string): PasswordHash {
  const parts = encoded.split('$');
  if (parts.length !== 4 || parts[0] !== 'scrypt') {
    throw new PasswordHashError(
      `a password hash must read scrypt$N=…,r=…,p=…$<salt>$<hash> (made by foghorn users add), got '${preview(encoded)}'`,
    );
  }
  const [, params = '', salt = '', hash = ''] = parts;
  const cost = parseCost(params);
  if (!BASE64URL.test(salt) || Buffer.from(salt, 'base64url').length < 8)
    throw new PasswordHashError('the salt of a password hash must be at least 8 bytes in base64url');
  if (!BASE64URL.test(hash) || Buffer.from(hash, 'base64url').length < 16)
    throw new PasswordHashError('the hash part of a password hash must be at least 16 bytes in base64url');
  return { cost, salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') };
}

function parseCost(params: string): ScryptCost {
  const values = new Map<string, number>();
  for (const pair of params.split(',')) {
    const match = /^(N|r|p)=(\d{1,8})$/.exec(pair);
    if (!match?.[1] || !match[2] || values.has(match[1]))
      throw new PasswordHashError(`the parameters of a password hash must read N=…,r=…,p=…, got '${preview(params)}'`);
    values.set(match[1], Number(match[2]));
  }
  const cost = { N: values.get('N'), r: values.get('r'), p: values.get('p') };
  if (cost.N === undefined || cost.r === undefined || cost.p === undefined)
    throw new PasswordHashError(`the parameters of a password hash must name N, r and p, got '${preview(params)}'`);
  const complete = { N: cost.N, r: cost.r, p: cost.p };
  checkCost(complete);
  return complete;
}

function checkCost({ N, r, p }: ScryptCost): void {
  const powerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N < LIMITS.minN || N > LIMITS.maxN)
    throw new PasswordHashError(`scrypt N must be a power of two from 2^14 to 2^20, got ${N}`);
  if (!Number.isInteger(r) || r < 1 || r > LIMITS.maxR) throw new PasswordHashError(`scrypt r must be from 1 to ${LIMITS.maxR}, got ${r}`);
  if (!Number.isInteger(p) || p < 1 || p > LIMITS.maxP) throw new PasswordHashError(`scrypt p must be from 1 to ${LIMITS.maxP}, got ${p}`);
  if (memoryOf({ N, r, p }) > LIMITS.maxMemoryBytes) throw new PasswordHashError(`scrypt N=${N}, r=${r} would need more than 1 GiB`);
}

function memoryOf({ N, r }: ScryptCost): number {
  return 128 * N * r;
}

function derive(password: string, salt: Buffer, length: number, cost: ScryptCost): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // Node refuses a derivation above maxmem (32 MB by default), below the default cost.
    scrypt(password.normalize('NFC'), salt, length, { ...cost, maxmem: 2 * memoryOf(cost) }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function preview(text: string): string {
  return text.length > 24 ? `${text.slice(0, 24)}…` : text;
}

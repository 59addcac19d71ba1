import { describe, expect, it } from 'vitest';
import { PasswordHashError } from '../../functions/auth/errors.js';
import { DEFAULT_SCRYPT_COST, hashPassword, parsePasswordHash, verifyPassword } from '../../functions/auth/password.js';

// The floor the parser accepts keeps these tests quick; the default cost is checked once.
const QUICK = { N: 2 ** 14, r: 8, p: 1 };

describe('console passwords (scrypt)', () => {
  it('hashes as scrypt$<params>$<salt>$<hash> at the default cost, and verifies the same password', async () => {
    // Act
    const encoded = await hashPassword('correct horse battery staple');

    // Assess
    expect(encoded).toMatch(/^scrypt\$N=131072,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(parsePasswordHash(encoded).cost).toEqual(DEFAULT_SCRYPT_COST);
    expect(await verifyPassword('correct horse battery staple', encoded)).toBe(true);
  });

  it('refuses a wrong password, one letter off included', async () => {
    const encoded = await hashPassword('correct horse', QUICK);

    expect(await verifyPassword('correct horsf', encoded)).toBe(false);
    expect(await verifyPassword('', encoded)).toBe(false);
  });

  it('salts every hash: the same password twice gives two hashes that both verify', async () => {
    const [first, second] = await Promise.all([hashPassword('same', QUICK), hashPassword('same', QUICK)]);

    expect(first).not.toBe(second);
    expect(await verifyPassword('same', first)).toBe(true);
    expect(await verifyPassword('same', second)).toBe(true);
  });

  it('verifies a password typed in another Unicode form (NFC and NFD) as the same', async () => {
    const encoded = await hashPassword('caf\u00e9-رمز', QUICK);

    expect(await verifyPassword('cafe\u0301-رمز', encoded)).toBe(true);
  });

  it.each([
    ['plain text', 'hunter2', /must read scrypt\$/],
    ['another scheme', 'bcrypt$2b$10$abc', /must read scrypt\$/],
    ['missing p', 'scrypt$N=16384,r=8$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g', /name N, r and p/],
    ['N not a power of two', 'scrypt$N=16385,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g', /power of two/],
    ['N too large to compute', 'scrypt$N=4194304,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g', /power of two from 2\^14 to 2\^20/],
    ['a short hash', 'scrypt$N=16384,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaA', /at least 16 bytes/],
  ])('refuses a stored hash that is %s', (_, encoded, message) => {
    expect(() => parsePasswordHash(encoded)).toThrow(PasswordHashError);
    expect(() => parsePasswordHash(encoded)).toThrow(message);
  });
});

import { describe, expect, it } from 'vitest';
import { turkicLowerCase } from '../../functions/text/index.js';

describe('turkicLowerCase', () => {
  it('lower-cases I as ı and İ as i, the rest as toLowerCase does', () => {
    expect(turkicLowerCase('IŞIK İade')).toBe('ışık iade');
    expect(turkicLowerCase('ÇOK GÜZEL')).toBe('çok güzel');
    expect('IŞIK İade'.toLowerCase()).not.toBe(turkicLowerCase('IŞIK İade'));
  });
});

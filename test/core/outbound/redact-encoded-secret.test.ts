import { describe, expect, it } from 'vitest';
import { redactRequest } from '../../../functions/core/outbound/redact.js';

/** Characters URL encoding rewrites (`/`, `+`, `@`) and one it keeps (`!`), which the form encoding rewrites. */
const secret = 's3cr3t!value/2026+us@abcd';

describe('redactRequest on a URL-encoded secret under a harmless parameter name', () => {
  it('redacts a configured secret sent as ?state=<encodeURIComponent(secret)>', () => {
    const encoded = encodeURIComponent(secret);
    // The encoded form differs from the raw secret and from its form encoding, so only the URL-encoded variant can match.
    expect(encoded).not.toBe(secret);
    expect(encoded).not.toBe(new URLSearchParams({ v: secret }).toString().slice(2));
    const redacted = redactRequest({ method: 'GET', url: `https://example.test/oauth/callback?state=${encoded}&next=home`, headers: {} }, [
      secret,
    ]);
    expect(redacted.url).toBe('https://example.test/oauth/callback?state=[REDACTED:abcd]&next=home');
    for (let start = 0; start + 5 <= encoded.length; start++) expect(redacted.url).not.toContain(encoded.slice(start, start + 5));
  });
});

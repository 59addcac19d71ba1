import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NotConfiguredError, SignatureError } from '../../../functions/core/errors.js';
import { linkedInConnector } from '../../../functions/platforms/linkedin/index.js';
import { CLIENT_SECRET, challenge, context, delivery, fixture, signature } from './support.js';

describe('linkedin signature (X-LI-Signature)', () => {
  it('accepts the hex HMAC-SHA256 of "hmacsha256=" + the raw body under the client secret', () => {
    expect(() => linkedInConnector.verify(delivery(fixture('comment.json')), context())).not.toThrow();
    // Uppercase hex and the prefix written into the header are the same digest.
    const body = fixture('comment.json');
    const upper = delivery(body, { 'x-li-signature': signature(body).toUpperCase() });
    expect(() => linkedInConnector.verify(upper, context())).not.toThrow();
    expect(() => linkedInConnector.verify(delivery(body, { 'x-li-signature': `hmacsha256=${signature(body)}` }), context())).not.toThrow();
  });

  it('refuses a digest of the body alone (without the prefix), another secret, a changed body, or no header', () => {
    const body = fixture('comment.json');
    const bodyOnly = createHmac('sha256', CLIENT_SECRET).update(body).digest('hex');
    expect(() => linkedInConnector.verify(delivery(body, { 'x-li-signature': bodyOnly }), context())).toThrow(/does not match the body/);
    expect(() => linkedInConnector.verify(delivery(body, { 'x-li-signature': signature(body, 'another-secret') }), context())).toThrow(
      SignatureError,
    );
    const changed = Buffer.from(body.toString().replace('4411', '4412'));
    expect(() => linkedInConnector.verify(delivery(changed, { 'x-li-signature': signature(body) }), context())).toThrow(SignatureError);
    expect(() => linkedInConnector.verify(delivery(body, {}), context())).toThrow(/missing x-li-signature/);
    expect(() => linkedInConnector.verify(delivery(body, { 'x-li-signature': 'sha256=abc' }), context())).toThrow(/not 64 hex digits/);
  });

  it('says which setting is missing rather than accepting unsigned deliveries', () => {
    expect(() => linkedInConnector.verify(delivery(fixture('comment.json')), context({ FOGHORN_LINKEDIN_CLIENT_SECRET: '' }))).toThrow(
      NotConfiguredError,
    );
  });
});

describe('linkedin challenge (webhook validation)', () => {
  it('answers {challengeCode, challengeResponse} as JSON, the response the hex HMAC-SHA256 of the code', () => {
    // The page's example code; the response is recomputed here the way its formula says.
    const code = '890e4665-4dfe-4ab1-b689-ed553bceeed0';
    const response = linkedInConnector.handshake?.(challenge({ challengeCode: code, applicationId: '86fpjytbhltuzf' }), context());
    expect(response).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: { challengeCode: code, challengeResponse: createHmac('sha256', CLIENT_SECRET).update(code).digest('hex') },
    });
    expect((response?.body as { challengeResponse?: string } | undefined)?.challengeResponse).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers 400 to a GET without a challengeCode, and is no handshake for a POST', () => {
    expect(linkedInConnector.handshake?.(challenge({}), context())?.status).toBe(400);
    expect(linkedInConnector.handshake?.(delivery(fixture('comment.json')), context())).toBeUndefined();
  });
});

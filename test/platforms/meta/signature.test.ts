import { describe, expect, it } from 'vitest';
import { NotConfiguredError, SignatureError } from '../../../functions/core/errors.js';
import { answerMetaHandshake } from '../../../functions/platforms/meta/handshake.js';
import { verifyMetaSignature } from '../../../functions/platforms/meta/signature.js';
import { contextWith, hmacHex, inbound } from '../../support/connector-harness.js';

const settings = { FOGHORN_META_APP_SECRET: 'test-app-secret', FOGHORN_META_VERIFY_TOKEN: 'test-verify-token' };
const body = Buffer.from('{"object":"page","entry":[]}');

describe('Meta X-Hub-Signature-256', () => {
  it('accepts the HMAC-SHA256 of the raw bytes under the app secret, in either hex case', () => {
    const signature = hmacHex('test-app-secret', body);
    expect(() =>
      verifyMetaSignature(inbound('facebook', { body, headers: { 'x-hub-signature-256': `sha256=${signature}` } }), contextWith(settings)),
    ).not.toThrow();
    expect(() =>
      verifyMetaSignature(
        inbound('facebook', { body, headers: { 'x-hub-signature-256': `sha256=${signature.toUpperCase()}` } }),
        contextWith(settings),
      ),
    ).not.toThrow();
  });

  it('refuses a signature under another secret, over other bytes, malformed or missing, with 401', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ 'x-hub-signature-256': `sha256=${hmacHex('another-secret', body)}` }, /does not match/],
      [{ 'x-hub-signature-256': `sha256=${hmacHex('test-app-secret', Buffer.from(`${body.toString()} `))}` }, /does not match/],
      [{ 'x-hub-signature-256': `sha1=${hmacHex('test-app-secret', body)}` }, /not 'sha256=/],
      [{ 'x-hub-signature-256': `sha256=${hmacHex('test-app-secret', body).slice(0, 40)}` }, /not 'sha256=/],
      [{}, /missing x-hub-signature-256/],
    ];
    for (const [headers, message] of cases) {
      const attempt = () => verifyMetaSignature(inbound('facebook', { body, headers }), contextWith(settings));
      expect(attempt).toThrow(SignatureError);
      expect(attempt).toThrow(message);
    }
    try {
      verifyMetaSignature(inbound('facebook', { body }), contextWith(settings));
    } catch (error) {
      expect((error as SignatureError).status).toBe(401);
    }
  });

  it('names the missing app secret instead of accepting anything', () => {
    expect(() =>
      verifyMetaSignature(
        inbound('instagram', { body, headers: { 'x-hub-signature-256': `sha256=${hmacHex('', body)}` } }),
        contextWith({}),
      ),
    ).toThrow(NotConfiguredError);
  });
});

describe('Meta hub.challenge handshake', () => {
  const handshake = (query: Record<string, string>, method = 'GET') =>
    answerMetaHandshake(inbound('whatsapp', { method, query }), contextWith(settings));

  it('echoes the challenge as plain text when the verify token is ours', () => {
    const answer = handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'test-verify-token', 'hub.challenge': '1158201444' });
    expect(answer).toEqual({ status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '1158201444' });
  });

  it('answers 403 to a wrong verify token and 400 to a malformed check', () => {
    expect(handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1158201444' })?.status).toBe(403);
    expect(handshake({ 'hub.mode': 'subscribe', 'hub.challenge': '1158201444' })?.status).toBe(403);
    expect(handshake({ 'hub.mode': 'unsubscribe', 'hub.verify_token': 'test-verify-token', 'hub.challenge': '1' })?.status).toBe(400);
    expect(handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'test-verify-token' })?.status).toBe(400);
  });

  it('leaves deliveries and other requests alone', () => {
    expect(handshake({}, 'GET')).toBeUndefined();
    expect(handshake({ 'hub.mode': 'subscribe' }, 'POST')).toBeUndefined();
  });
});

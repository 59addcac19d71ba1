import { describe, expect, it } from 'vitest';
import { SignatureError } from '../../../functions/core/errors.js';
import { slackConnector } from '../../../functions/platforms/slack/index.js';
import { context, fixture, slackDelivery, TIMESTAMP } from './request.js';

describe('slack verify', () => {
  const body = fixture('app-mention.json');

  it('accepts a delivery signed with the signing secret over v0:{timestamp}:{body}', () => {
    expect(() => slackConnector.verify(slackDelivery(body), context())).not.toThrow();
  });

  it('refuses a wrong signature, a missing signature and a missing timestamp with 401', () => {
    const wrong = slackDelivery(body, { 'x-slack-signature': `v0=${'0'.repeat(64)}` });
    expect(() => slackConnector.verify(wrong, context())).toThrow(/does not match/);
    const missing = slackDelivery(body);
    delete (missing.headers as Record<string, string>)['x-slack-signature'];
    expect(() => slackConnector.verify(missing, context())).toThrow(/missing x-slack-signature/);
    const noTimestamp = slackDelivery(body);
    delete (noTimestamp.headers as Record<string, string>)['x-slack-request-timestamp'];
    expect(() => slackConnector.verify(noTimestamp, context())).toThrow(/missing x-slack-request-timestamp/);
    try {
      slackConnector.verify(wrong, context());
    } catch (error) {
      expect(error).toBeInstanceOf(SignatureError);
      expect((error as SignatureError).status).toBe(401);
    }
  });

  it('refuses a body changed after signing', () => {
    const signed = slackDelivery(body);
    const tampered = { ...signed, rawBody: Buffer.from(body.toString('utf8').replace('pearl', 'PEARL')) };
    expect(() => slackConnector.verify(tampered, context())).toThrow(SignatureError);
  });

  it('refuses a correctly signed request older than five minutes (a replay)', () => {
    const stale = slackDelivery(body, {}, TIMESTAMP - 301);
    expect(() => slackConnector.verify(stale, context())).toThrow(/away from now/);
    const recentEnough = slackDelivery(body, {}, TIMESTAMP - 280);
    expect(() => slackConnector.verify(recentEnough, context())).not.toThrow();
  });

  it('refuses a signature made with another secret', () => {
    const request = slackDelivery(body);
    expect(() => slackConnector.verify(request, context({ FOGHORN_SLACK_SIGNING_SECRET: 'another-secret' }))).toThrow(SignatureError);
  });
});

describe('slack url_verification handshake', () => {
  it('answers the challenge of a signed url_verification', () => {
    const response = slackConnector.handshake?.(slackDelivery(fixture('url-verification.json')), context());
    expect(response).toEqual({
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
    });
  });

  it('refuses an unsigned url_verification, and is not a handshake for an event_callback', () => {
    const unsigned = slackDelivery(fixture('url-verification.json'), { 'x-slack-signature': 'v0=bad' });
    expect(() => slackConnector.handshake?.(unsigned, context())).toThrow(SignatureError);
    expect(slackConnector.handshake?.(slackDelivery(fixture('app-mention.json')), context())).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { BadRequestError, SignatureError } from '../../../functions/core/errors.js';
import { vkConnector } from '../../../functions/platforms/vk/index.js';
import { CONFIRMATION, context, fixture, fixtureWith, vkDelivery } from './request.js';

describe('vk verify', () => {
  it('accepts a notification whose secret field matches', () => {
    expect(() => vkConnector.verify(vkDelivery(fixture('message-new-dm.json')), context())).not.toThrow();
  });

  it('refuses a wrong secret, a missing secret, and a notification for another community with 401', () => {
    const wrong = vkDelivery(fixtureWith('message-new-dm.json', { secret: 'aaQ13axAPQEcczQb' }));
    expect(() => vkConnector.verify(wrong, context())).toThrow(/does not match FOGHORN_VK_SECRET/);
    const missing = vkDelivery(fixtureWith('message-new-dm.json', { secret: undefined }));
    expect(() => vkConnector.verify(missing, context())).toThrow(/missing `secret`/);
    const otherGroup = vkDelivery(fixtureWith('message-new-dm.json', { group_id: 1 }));
    expect(() => vkConnector.verify(otherGroup, context())).toThrow(/`group_id` is 1, not the community set in FOGHORN_VK_GROUP_ID/);
    expect(() => vkConnector.verify(wrong, context())).toThrow(SignatureError);
  });

  it('accepts any community when FOGHORN_VK_GROUP_ID is not set', () => {
    const otherGroup = vkDelivery(fixtureWith('message-new-dm.json', { group_id: 1 }));
    expect(() => vkConnector.verify(otherGroup, context({ FOGHORN_VK_GROUP_ID: '' }))).not.toThrow();
  });

  it('says a body that is not JSON is a bad request', () => {
    expect(() => vkConnector.verify(vkDelivery(Buffer.from('type=confirmation')), context())).toThrow(BadRequestError);
  });
});

describe('vk confirmation handshake', () => {
  it('answers the configured confirmation string as text/plain', () => {
    expect(vkConnector.handshake?.(vkDelivery(fixture('confirmation.json')), context())).toEqual({
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body: CONFIRMATION,
    });
  });

  it('refuses a confirmation with a wrong secret or for another community, and ignores other notifications', () => {
    expect(() => vkConnector.handshake?.(vkDelivery(fixtureWith('confirmation.json', { secret: 'nope' })), context())).toThrow(
      SignatureError,
    );
    expect(() => vkConnector.handshake?.(vkDelivery(fixtureWith('confirmation.json', { group_id: 7 })), context())).toThrow(SignatureError);
    expect(vkConnector.handshake?.(vkDelivery(fixture('message-new-dm.json')), context())).toBeUndefined();
  });
});

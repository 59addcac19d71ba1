import type { Connector } from '../../core/connector.js';
import { SignatureError } from '../../core/errors.js';
import { safeEqual } from '../shared/hmac.js';
import { buildVkRequest, interpretVkResponse } from './client.js';
import { normaliseVk } from './normalise.js';
import { VK, VK_CONFIRMATION, VK_GROUP_ID, VK_SECRET, VK_TOKEN } from './settings.js';
import { checkGroup, parseVkBody, verifyVk } from './verify.js';

/** VK Callback API in (message_new, wall_reply_new), messages.send and wall.createComment out. */
export const vkConnector: Connector = {
  platform: VK,
  inboundSettings: [VK_SECRET, VK_CONFIRMATION],
  outboundSettings: [VK_TOKEN],
  actionTypes: ['reply', 'post'],
  handshake(request, { settings }) {
    if (request.method !== 'POST') return undefined;
    const notification = parseVkBody(request);
    if (notification.type !== 'confirmation') return undefined;
    // VK includes the secret key in the confirmation when one is set; check it when present.
    if (
      notification.secret !== undefined &&
      !(typeof notification.secret === 'string' && safeEqual(notification.secret, settings.get(VK_SECRET) ?? ''))
    ) {
      throw new SignatureError('`secret` field does not match FOGHORN_VK_SECRET');
    }
    checkGroup(notification, settings.get(VK_GROUP_ID));
    return { status: 200, headers: { 'content-type': 'text/plain' }, body: settings.get(VK_CONFIRMATION) ?? '' };
  },
  verify: (request, { settings }) => verifyVk(parseVkBody(request), settings.get(VK_SECRET) ?? '', settings.get(VK_GROUP_ID)),
  normalise: (request, { settings }) => normaliseVk(request, settings.get(VK_GROUP_ID)),
  buildRequest: (command, { settings }) => buildVkRequest(command, settings),
  interpretResponse: (response) => interpretVkResponse(response),
  // messages.send carries `random_id`, wall.createComment `guid`, both derived from the command id.
  deduplication: { key: 'random_id / guid' },
};

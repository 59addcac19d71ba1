import { BadRequestError, SignatureError } from '../../core/errors.js';
import type { InboundRequest } from '../../core/http.js';
import { safeEqual } from '../shared/hmac.js';

/** The fields every Callback API notification carries. */
export interface VkNotification {
  type?: unknown;
  group_id?: unknown;
  event_id?: unknown;
  secret?: unknown;
  v?: unknown;
  object?: unknown;
}

export function parseVkBody(request: InboundRequest): VkNotification {
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody.toString('utf8'));
  } catch (error) {
    throw new BadRequestError('body is not valid JSON', { parseError: (error as Error).message });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequestError('a VK notification is a JSON object');
  return body as VkNotification;
}

/**
 * VK signs nothing: it copies the configured secret key into the body's `secret` field. Compare it in
 * constant time, and refuse a notification meant for another community when the group id is configured.
 */
export function verifyVk(notification: VkNotification, secret: string, groupId: string | undefined): void {
  if (typeof notification.secret !== 'string' || notification.secret === '')
    throw new SignatureError('missing `secret` field (set the Secret key in the Callback API settings)');
  if (!safeEqual(notification.secret, secret)) throw new SignatureError('`secret` field does not match FOGHORN_VK_SECRET');
  checkGroup(notification, groupId);
}

/**
 * Names the payload field and the setting it was compared with, never the setting's value: a confirmation
 * without a secret reaches this check unauthenticated.
 */
export function checkGroup(notification: VkNotification, groupId: string | undefined): void {
  const given = notification.group_id;
  // Only a number or a string can name a community (String() of an object can even throw).
  if (groupId === undefined || ((typeof given === 'number' || typeof given === 'string') && String(given) === groupId)) return;
  const got = given === undefined ? 'is missing' : `is ${JSON.stringify(given)}`;
  throw new SignatureError(`\`group_id\` ${got}, not the community set in FOGHORN_VK_GROUP_ID`, { path: 'group_id' });
}

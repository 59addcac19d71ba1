import type { Connector } from '../../core/connector.js';
import { buildGenericRequest, GENERIC_REPLY_URL, GENERIC_SECRET, interpretGenericResponse } from './client.js';
import { GENERIC, normaliseGeneric } from './normalise.js';
import { verifyGeneric } from './verify.js';

/** Any system that can POST a canonical event as JSON, signed with a shared secret. */
export const genericConnector: Connector = {
  platform: GENERIC,
  inboundSettings: [GENERIC_SECRET],
  outboundSettings: [GENERIC_REPLY_URL, GENERIC_SECRET],
  actionTypes: ['reply', 'post'],
  verify: (request, { settings }) => verifyGeneric(request, settings.get(GENERIC_SECRET) ?? ''),
  normalise: (request) => ({ events: normaliseGeneric(request) }),
  buildRequest: (command, { settings }) => buildGenericRequest(command, settings),
  interpretResponse: (response) => interpretGenericResponse(response),
  // The callback is asked to keep one reply per `idempotency-key` (the command id).
  deduplication: { key: 'idempotency-key header' },
};

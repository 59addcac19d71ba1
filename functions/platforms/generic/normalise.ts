import { BadRequestError, NormaliseError } from '../../core/errors.js';
import { type CanonicalEvent, eventId } from '../../core/event.js';
import type { InboundRequest } from '../../core/http.js';

export const GENERIC = 'generic';

/** The body is a canonical event as JSON; receivedAt and the platform scope of the id are Foghorn's. */
export function normaliseGeneric(request: InboundRequest): CanonicalEvent[] {
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody.toString('utf8'));
  } catch (error) {
    throw new BadRequestError('body is not valid JSON', { parseError: (error as Error).message });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new NormaliseError('body must be one canonical event (a JSON object)', { got: Array.isArray(body) ? 'array' : typeof body });
  }
  const candidate = body as Record<string, unknown>;
  if (typeof candidate.id !== 'string' && typeof candidate.id !== 'number') {
    throw new NormaliseError('event.id is required (a string or number)', { path: 'id' });
  }
  const nativeId = String(candidate.id);
  const id = nativeId.startsWith(`${GENERIC}:`) ? nativeId : eventId(GENERIC, nativeId);
  const receivedAt = request.receivedAt.toISOString();
  // Schema validation of the rest happens in the ingest, which names every wrong field.
  return [
    {
      ...candidate,
      id,
      platform: GENERIC,
      text: typeof candidate.text === 'string' ? candidate.text : '',
      createdAt: typeof candidate.createdAt === 'string' ? candidate.createdAt : receivedAt,
      receivedAt,
    } as CanonicalEvent,
  ];
}

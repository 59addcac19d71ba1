import { BadRequestError, NormaliseError } from '../../core/errors.js';
import { type CanonicalEvent, eventId } from '../../core/event.js';
import type { InboundRequest } from '../../core/http.js';
import { rawTopLevelMember } from './raw-member.js';

export const GENERIC = 'generic';

/** The body is a canonical event as JSON; receivedAt and the platform scope of the id are Foghorn's. */
export function normaliseGeneric(request: InboundRequest): CanonicalEvent[] {
  const text = request.rawBody.toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
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
  const nativeId = typeof candidate.id === 'string' ? candidate.id : numericId(candidate.id, text);
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

/**
 * A number id as the sender wrote it: every digit of an integer, even beyond 2^53 where JSON.parse rounds
 * (9007199254740993 would become …992 and merge two events). Other forms are kept only when exact.
 */
function numericId(parsed: number, text: string): string {
  const written = rawTopLevelMember(text, 'id') ?? String(parsed);
  if (/^-?\d+$/.test(written)) return written;
  if (String(parsed) === written || Number.isSafeInteger(parsed)) return String(parsed);
  throw new NormaliseError(`\`id\` ${written} is a number that cannot be kept exactly; send it as a string or an integer`, {
    path: 'id',
    got: written,
  });
}

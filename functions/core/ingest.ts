import type { Connector } from './connector.js';
import { BadRequestError, FoghornError, NormaliseError, NotConfiguredError, PayloadTooLargeError, UnknownPlatformError } from './errors.js';
import { type CanonicalEvent, canonicalEventSchema, markRepublished } from './event.js';
import type { HttpResponse, InboundRequest } from './http.js';
import { jsonNestingDepth, MAX_PAYLOAD_DEPTH, pathDeeperThan } from './payload-depth.js';
import { type Clock, type EventPublisher, type EventStore, type RawPayload, rawRefOf } from './ports.js';
import type { Settings } from './settings.js';
import { missingSettings } from './settings.js';

export interface IngestDependencies {
  connectorFor(platform: string): Connector | undefined;
  knownPlatforms(): readonly string[];
  settings: Settings;
  store: EventStore;
  publisher: EventPublisher;
  clock: Clock;
  maxBodyBytes: number;
  /** Told of every failure the platform will see as 5xx (never of 4xx: those are the sender's). */
  onError?: (error: unknown, request: InboundRequest) => void;
  /** Told of what the operator must know at once (a platform's authorisation revoked): logged as an error. */
  onAlert?: (alert: string, request: InboundRequest) => void;
}

/**
 * `POST|GET /webhooks/{platform}`: verify, normalise, store once, publish. Each event costs one
 * conditional write (the first carries the delivery's raw payload) and no read. A stored event is
 * published before the answer is 2xx; a failed publish answers 5xx so the platform retries, and the
 * retry, finding the events stored, publishes them again (marked: evaluation reads their decision first),
 * unless the store is its own outbox and put them on the bus in the write that stored them.
 */
export async function handleWebhook(request: InboundRequest, deps: IngestDependencies): Promise<HttpResponse> {
  try {
    return await receive(request, deps);
  } catch (error) {
    // The sender's mistakes, and a platform we were not configured for, are answered as they are.
    if (error instanceof FoghornError && (error.status < 500 || error instanceof NotConfiguredError)) return errorResponse(error);
    deps.onError?.(error, request);
    return { status: 503, body: { error: 'temporarily unable to accept the delivery; retry', detail: null } };
  }
}

async function receive(request: InboundRequest, deps: IngestDependencies): Promise<HttpResponse> {
  const connector = deps.connectorFor(request.platform);
  if (!connector) throw new UnknownPlatformError(request.platform, deps.knownPlatforms());
  if (request.rawBody.length > deps.maxBodyBytes) throw new PayloadTooLargeError(deps.maxBodyBytes, request.rawBody.length);
  const missing = missingSettings(deps.settings, connector.inboundSettings);
  if (missing.length > 0) throw new NotConfiguredError(connector.platform, missing);

  const context = { settings: deps.settings, now: deps.clock.now() };
  const handshake = connector.handshake?.(request, context);
  if (handshake) return handshake;
  if (request.method !== 'POST') throw new FoghornError(`${request.method} is not accepted here; deliveries are POSTed`, { status: 405 });
  connector.verify(request, context);

  // From here the payload is signed: anything that goes wrong with it is quarantined, never dropped.
  let events: CanonicalEvent[];
  let response: HttpResponse | undefined;
  try {
    refuseDeepNesting(request.rawBody);
    const normalised = connector.normalise(request, context);
    const rawRef = rawRefOf(normalised.events[0]?.id);
    events = normalised.events.map((event, index) => validateEvent({ ...event, raw: event.raw ?? { ref: rawRef } }, index));
    response = normalised.response;
    for (const alert of normalised.alerts ?? []) deps.onAlert?.(alert, request);
  } catch (error) {
    if (!(error instanceof BadRequestError || error instanceof NormaliseError)) throw error;
    const quarantineId = await deps.store.quarantine({
      platform: connector.platform,
      reason: error.message,
      detail: error.detail,
      raw: request.rawBody,
      receivedAt: request.receivedAt,
    });
    return errorResponse(error, { quarantineId });
  }

  const raw: RawPayload = { platform: connector.platform, body: request.rawBody, receivedAt: request.receivedAt };
  const toPublish: CanonicalEvent[] = [];
  let duplicates = 0;
  for (const [index, event] of events.entries()) {
    const stored = await deps.store.putIfAbsent(event, index === 0 ? raw : undefined);
    if (!stored.created) duplicates++;
    if (!stored.published) toPublish.push(stored.created ? event : markRepublished(event));
  }
  if (toPublish.length > 0) await deps.publisher.publish(toPublish);
  return response ?? { status: 200, body: { ok: true, events: events.map((event) => event.id), duplicates } };
}

/** A JSON body nested deeper than any store or parser can take is refused before it is read. */
function refuseDeepNesting(rawBody: Buffer): void {
  const first = rawBody.toString('latin1', 0, 64).trimStart()[0];
  if (first !== '{' && first !== '[') return;
  const depth = jsonNestingDepth(rawBody);
  if (depth > MAX_PAYLOAD_DEPTH) {
    throw new NormaliseError(`body nests ${depth} levels deep; the limit is ${MAX_PAYLOAD_DEPTH} levels`, {
      limit: MAX_PAYLOAD_DEPTH,
      depth,
    });
  }
}

function validateEvent(candidate: unknown, index: number): CanonicalEvent {
  const parsed = canonicalEventSchema.safeParse(candidate);
  if (parsed.success) {
    const path = pathDeeperThan(parsed.data, MAX_PAYLOAD_DEPTH);
    if (path === undefined) return parsed.data;
    throw new NormaliseError(`event ${index} nests deeper than the limit of ${MAX_PAYLOAD_DEPTH} levels at ${path}`, {
      limit: MAX_PAYLOAD_DEPTH,
      path,
    });
  }
  throw new NormaliseError(
    `event ${index} does not match the canonical event schema`,
    parsed.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    })),
  );
}

export function errorResponse(error: FoghornError, extra: Record<string, unknown> = {}): HttpResponse {
  return { status: error.status, body: { error: error.message, detail: error.detail ?? null, ...extra } };
}

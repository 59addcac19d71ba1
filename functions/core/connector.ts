import type { ActionCommand } from './action-command.js';
import type { CanonicalEvent } from './event.js';
import type { HttpResponse, InboundRequest, OutboundRequest, OutboundResponse } from './http.js';
import type { Settings } from './settings.js';

export interface ConnectorContext {
  settings: Settings;
  now: Date;
}

/** What a verified delivery becomes: zero or more events, and the answer the platform expects. */
export interface Normalised {
  events: CanonicalEvent[];
  /** The acknowledgement the platform wants (VK's `ok`, Discord's deferred response); default `200 {"ok":true}`. */
  response?: HttpResponse;
  /** What the operator must know at once (X: the app's authorisation was revoked); the ingest logs each as an error. */
  alerts?: string[];
}

/** The result of a delivered outbound request, as the platform reported it. */
export interface Delivered {
  /** The id the platform gave the new message, post or comment, when it says. */
  externalId?: string;
}

/**
 * How the platform recognises a repeated request: a key Foghorn derives from the command id, so a retry of the
 * same command carries the same one and the platform keeps one message (docs/delivery.md).
 */
export interface Deduplication {
  /** Where the key travels, as the docs table says it: `idempotency-key header`, `nonce`, `random_id / guid`. */
  readonly key: string;
  /** Whether this request carries the key (Discord's interaction follow-ups do not); every request when absent. */
  covers?(request: OutboundRequest): boolean;
}

/** What the platform's read API says about a command's message: there (with its id), or not there. */
export type Reconciliation = { found: true; externalId?: string } | { found: false };

/**
 * One social platform: `in` (verify and normalise webhooks) and `out` (reply and post through its API).
 * Each platform lives in `functions/platforms/<name>/` with verify.ts, normalise.ts, client.ts and index.ts.
 */
export interface Connector {
  readonly platform: string;
  /** Settings that must be set before webhooks are accepted; a missing one answers 503 naming it. */
  readonly inboundSettings: readonly string[];
  /** Settings without which outbound calls run in sandbox mode (recorded, not sent). */
  readonly outboundSettings: readonly string[];
  /** Action types `buildRequest` can perform (`reply`, `post`, …). */
  readonly actionTypes: readonly string[];

  /**
   * Answers a subscription handshake (Meta `hub.challenge`, X CRC, Slack `url_verification`, Discord PING,
   * VK `confirmation`), or returns undefined when the request is not one. Verifies whatever the platform signs.
   */
  handshake?(request: InboundRequest, context: ConnectorContext): HttpResponse | undefined;

  /** Throws SignatureError unless the request carries a valid signature over its raw bytes (constant time). */
  verify(request: InboundRequest, context: ConnectorContext): void;

  /**
   * Turns a verified delivery into canonical events (one per entry/change/update). Throws NormaliseError for a
   * payload it cannot read (the ingest quarantines it), BadRequestError for one that is not even JSON.
   */
  normalise(request: InboundRequest, context: ConnectorContext): Normalised;

  /**
   * The exact request that performs the command on the platform. Secrets come from `context.settings`;
   * when one is missing the request carries the placeholder `credential(settings, NAME)` returns.
   */
  buildRequest(command: ActionCommand, context: ConnectorContext): OutboundRequest;

  /**
   * Reads the platform's answer: returns on success, throws TransientActionError (with the platform's retry
   * time: 429, Retry-After, `retry_after`, `x-rate-limit-reset`, …) or PermanentActionError (with its error text).
   */
  interpretResponse(response: OutboundResponse, command: ActionCommand, context: ConnectorContext): Delivered;

  /**
   * Optional, live mode only: fetches short-lived credentials before `buildRequest` (Reddit trades its refresh
   * token for an access token) and returns the settings `buildRequest` and `interpretResponse` then read.
   */
  authorize?(context: ConnectorContext & { send: (request: OutboundRequest) => Promise<OutboundResponse> }): Promise<Settings>;

  /** Present when the platform drops a repeated request by a key derived from the command id: an ambiguous call is retried. */
  readonly deduplication?: Deduplication;

  /**
   * Optional, live mode only: asks the platform's read API whether the command's message already exists (after a
   * call that may have reached it). Throws when the platform cannot be asked; the action is then `unknown`.
   */
  reconcile?(
    command: ActionCommand,
    context: ConnectorContext & { send: (request: OutboundRequest) => Promise<OutboundResponse> },
  ): Promise<Reconciliation>;
}

/** A platform with no push: polled on a schedule (Reddit). */
export interface Poller {
  readonly platform: string;
  readonly settingsRequired: readonly string[];
  /** Reads what is new since `cursor`, returns the events and where to start next time. */
  poll(
    cursor: string | undefined,
    context: ConnectorContext & { send: (request: OutboundRequest) => Promise<OutboundResponse> },
  ): Promise<PollResult>;
}

export interface PollResult {
  events: CanonicalEvent[];
  cursor: string | undefined;
  /** The platform's payload behind each event, by event id: kept like a webhook's raw body. */
  raw?: ReadonlyMap<string, Buffer>;
  /** Items read but not understood: quarantined with the reason, never silently dropped. */
  rejected?: readonly { reason: string; detail?: unknown; raw: Buffer }[];
}

/** A secret's value, or a visible placeholder for sandbox mode when it is not configured. */
export function credential(settings: Settings, name: string): string {
  return settings.get(name) ?? `<${name}>`;
}

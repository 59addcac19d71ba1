import type { Delivered } from '../../core/connector.js';
import { PermanentActionError, TransientActionError } from '../../core/errors.js';
import type { OutboundResponse } from '../../core/http.js';
import { retryAfterMs } from '../shared/retry-after.js';

/**
 * Graph API error codes that mean "too many calls, slow down": app (4), user (17), page (32), per-call (613),
 * business use case (80001–80014), WhatsApp throughput and pair rate (130429, 131056) and spam rate (131048).
 */
const THROTTLING_CODES = new Set([4, 17, 32, 613, 130429, 131048, 131056]);
const isBusinessUseCaseLimit = (code: number) => code >= 80001 && code <= 80014;
/** Codes Meta documents as temporary: unknown (1), service (2), WhatsApp "something went wrong" and unavailable. */
const TEMPORARY_CODES = new Set([1, 2, 131000, 131016]);
/** Without a usage header, a throttled call waits this long (Meta's windows are an hour; usage decays sooner). */
const DEFAULT_THROTTLE_WAIT_MS = 60_000;

interface GraphError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
  fbtrace_id?: string;
  error_data?: unknown;
}

/** 2xx: the new object's id (comment, post, Messenger `message_id`, WhatsApp `messages[0].id`); errors classified. */
export function interpretGraphResponse(response: OutboundResponse, now: Date): Delivered {
  if (response.status >= 200 && response.status < 300) {
    const id = createdId(response.body);
    return id === undefined ? {} : { externalId: id };
  }

  const error = graphError(response.body);
  const code = error?.code;
  const text = describe(response.status, error, response.body);
  const throttled = response.status === 429 || (code !== undefined && (THROTTLING_CODES.has(code) || isBusinessUseCaseLimit(code)));
  if (throttled) {
    const wait = retryAfterHeaderMs(response.headers, now) ?? businessUseCaseWaitMs(response.headers) ?? DEFAULT_THROTTLE_WAIT_MS;
    throw new TransientActionError(`rate limited: ${text}`, wait, { status: response.status, error });
  }
  const temporary = response.status >= 500 || error?.is_transient === true || (code !== undefined && TEMPORARY_CODES.has(code));
  if (temporary) throw new TransientActionError(text, retryAfterHeaderMs(response.headers, now), { status: response.status, error });
  throw new PermanentActionError(text, { status: response.status, error });
}

function createdId(body: string): string | undefined {
  const parsed = tryJson(body);
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const record = parsed as { id?: unknown; message_id?: unknown; post_id?: unknown; messages?: Array<{ id?: unknown }> };
  const candidate = record.messages?.[0]?.id ?? record.message_id ?? record.id ?? record.post_id;
  return typeof candidate === 'string' || typeof candidate === 'number' ? String(candidate) : undefined;
}

function graphError(body: string): GraphError | undefined {
  const parsed = tryJson(body) as { error?: unknown } | undefined;
  return typeof parsed?.error === 'object' && parsed.error !== null ? (parsed.error as GraphError) : undefined;
}

function describe(status: number, error: GraphError | undefined, body: string): string {
  if (!error) return `Graph API answered ${status}: ${body.slice(0, 300)}`;
  const code = error.code === undefined ? '' : ` ${error.code}${error.error_subcode === undefined ? '' : `/${error.error_subcode}`}`;
  return `Graph API error${code} (${error.type ?? 'unknown type'}, HTTP ${status}): ${error.message ?? 'no message'}`;
}

/** `Retry-After` in seconds or as an HTTP date. */
function retryAfterHeaderMs(headers: Record<string, string>, now: Date): number | undefined {
  return retryAfterMs(headerValue(headers, 'retry-after'), now.getTime());
}

/** `X-Business-Use-Case-Usage: {"<id>":[{"estimated_time_to_regain_access": <minutes>, …}]}`: the longest wait. */
function businessUseCaseWaitMs(headers: Record<string, string>): number | undefined {
  const usage = tryJson(headerValue(headers, 'x-business-use-case-usage') ?? '');
  if (typeof usage !== 'object' || usage === null) return undefined;
  const minutes = Object.values(usage as Record<string, unknown>)
    .flatMap((entries) => (Array.isArray(entries) ? entries : []))
    .map((entry) => Number((entry as { estimated_time_to_regain_access?: unknown }).estimated_time_to_regain_access))
    .filter((value) => Number.isFinite(value) && value > 0);
  return minutes.length === 0 ? undefined : Math.max(...minutes) * 60_000;
}

export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

import { limitOf } from '../core/api-query.js';
import { FoghornError } from '../core/errors.js';
import type { CrisisKit } from './crisis-kit.js';
import type { ApprovalStatus } from './ports.js';

/** A route as the HTTP layer hands it over: path parameters, query, and the raw body. */
export interface ApiRequest {
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  body: Buffer;
  /** The authenticated caller (the IAM principal on AWS), recorded beside the `who` the body names. */
  caller?: string;
  /** The request's headers, names in lower case (both runtimes hand them over so). */
  headers?: Readonly<Record<string, string | string[] | undefined>>;
}

export interface ApiAnswer {
  status: number;
  body: unknown;
}

export interface ApiRoute {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  handle(request: ApiRequest): Promise<ApiAnswer>;
}

const STATUSES: readonly ApprovalStatus[] = ['pending', 'approved', 'rejected', 'expired'];

class BadApiRequestError extends FoghornError {
  constructor(message: string, detail?: unknown) {
    super(message, { status: 400, detail });
  }
}

export function jsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new BadApiRequestError(`the body is not JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new BadApiRequestError('the body must be a JSON object such as {"who": "...", "why": "..."}');
  return value as Record<string, unknown>;
}

export function text(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new BadApiRequestError(`'${field}' must be a string`);
  return value;
}

export function required(body: Record<string, unknown>, field: string, what: string): string {
  const value = text(body, field);
  if (value === undefined || value.trim() === '') throw new BadApiRequestError(`'${field}' is required: ${what}`);
  return value.trim();
}

/** The person the body names, and the principal that authenticated the call when there is one. */
export function who(request: ApiRequest, fields: Record<string, unknown>, what: string): string {
  const named = required(fields, 'who', what);
  return request.caller ? `${named} (${request.caller})` : named;
}

/** Runs a handler and maps Foghorn's errors to their HTTP answer with a JSON body that says what is wrong. */
export async function answer(run: () => Promise<unknown>, status = 200): Promise<ApiAnswer> {
  try {
    return { status, body: await run() };
  } catch (error) {
    if (error instanceof FoghornError && error.status < 500)
      return { status: error.status, body: { error: error.message, detail: error.detail ?? null } };
    throw error;
  }
}

/**
 * The crisis HTTP API, shared by the local runtime and the `api` Lambda (functions/api):
 * `GET /api/audit`, `GET|POST /api/crisis[/on|/off]`, `GET /api/approvals`,
 * `POST /api/approvals/{id}/approve|reject`. Changes name who and why in the body.
 */
export function crisisApiRoutes(kit: CrisisKit): ApiRoute[] {
  const switchTo = (on: boolean) => async (request: ApiRequest) =>
    answer(async () => {
      const fields = jsonBody(request.body);
      const result = await kit.switchCrisis({
        on,
        who: who(request, fields, 'the person switching'),
        why: required(fields, 'why', 'the reason, for the audit log'),
      });
      return { crisis: result.state, changed: result.changed };
    });
  return [
    { method: 'GET', path: '/api/audit', handle: async ({ query }) => answer(async () => ({ audit: await kit.audit(limitOf(query)) })) },
    { method: 'GET', path: '/api/crisis', handle: async () => answer(async () => ({ crisis: await kit.crisisState() })) },
    { method: 'POST', path: '/api/crisis/on', handle: switchTo(true) },
    { method: 'POST', path: '/api/crisis/off', handle: switchTo(false) },
    {
      method: 'GET',
      path: '/api/approvals',
      handle: async ({ query }) =>
        answer(async () => {
          const status = query.get('status') ?? 'pending';
          if (status !== 'all' && !STATUSES.includes(status as ApprovalStatus)) {
            throw new BadApiRequestError(`status must be one of ${[...STATUSES, 'all'].join(', ')}, got '${status}'`);
          }
          return { approvals: await kit.listApprovals(status === 'all' ? undefined : (status as ApprovalStatus), limitOf(query)) };
        }),
    },
    {
      method: 'POST',
      path: '/api/approvals/{id}/approve',
      handle: async (request) =>
        answer(async () => {
          const fields = jsonBody(request.body);
          return {
            approval: await kit.approve(
              request.params.id ?? '',
              who(request, fields, 'the person approving'),
              text(fields, 'note'),
              text(fields, 'text'),
            ),
          };
        }),
    },
    {
      method: 'POST',
      path: '/api/approvals/{id}/reject',
      handle: async (request) =>
        answer(async () => {
          const fields = jsonBody(request.body);
          return {
            approval: await kit.reject(
              request.params.id ?? '',
              who(request, fields, 'the person rejecting'),
              required(fields, 'reason', 'why it must not go out'),
            ),
          };
        }),
    },
  ];
}
